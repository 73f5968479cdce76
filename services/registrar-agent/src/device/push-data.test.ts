import { device } from '../calls/test-support/fake-directory.js';
import { isVoipPrid, newPushData } from './push-data.js';

const apns = device('d1', 'push-1', { voipToken: 'voip-1' });
const fcm = device('d2', 'fcm-1', { provider: 'fcm', platform: 'android' });
const contact = (provider: string, prid: string, param?: string) => ({ provider, prid, param });

describe('RFC 8599 push data of a contact', () => {
  it('reads an APNs pn-prid as the VoIP token only for a .voip topic', () => {
    expect(isVoipPrid(contact('apns', 'x', 'TEAM1.org.example.phone.voip'))).toBe(true);
    expect(isVoipPrid(contact('apns', 'x', 'TEAM1.org.example.phone.VOIP'))).toBe(true);
    expect(isVoipPrid(contact('apns', 'x', 'TEAM1.org.example.phone'))).toBe(false);
    expect(isVoipPrid(contact('apns', 'x'))).toBe(false);
    expect(isVoipPrid(contact('fcm', 'x', 'project.voip'))).toBe(false);
  });

  it('gives the new push data, or nothing when the device holds it', () => {
    expect(newPushData(apns, contact('apns', 'push-2', 'TEAM1.org.example.phone'))).toEqual({
      token: 'push-2',
    });
    expect(newPushData(apns, contact('apns', 'voip-2', 'TEAM1.org.example.phone.voip'))).toEqual({
      token: 'push-1',
      voipToken: 'voip-2',
    });
    expect(newPushData(apns, contact('apns', 'push-1', 'TEAM1.org.example.phone'))).toBeUndefined();
    expect(
      newPushData(apns, contact('apns', 'voip-1', 'T.org.example.phone.voip')),
    ).toBeUndefined();
    expect(newPushData(fcm, contact('fcm', 'fcm-2', 'project-1'))).toEqual({ token: 'fcm-2' });
    expect(newPushData(fcm, contact('fcm', 'fcm-1'))).toBeUndefined();
  });

  it('leaves a device of another provider alone', () => {
    expect(newPushData(fcm, contact('apns', 'push-9'))).toBeUndefined();
    expect(newPushData(apns, contact('webpush', 'push-9'))).toBeUndefined();
  });
});
