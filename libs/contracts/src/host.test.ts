import { sipHostFor } from './host.js';

const selector = '628bef098cd19b085f0eb48256f504f34142c01a';

describe('sipHostFor', () => {
  it('names s-X.<host> from the first N selector digits', () => {
    expect(sipHostFor(selector, 1, 'sip.example.net')).toBe('s-6.sip.example.net');
    expect(sipHostFor(selector, 3, 'sip.example.net')).toBe('s-628.sip.example.net');
    expect(sipHostFor(selector, 40, 'h')).toBe(`s-${selector}.h`);
  });

  it('gives the plain host for a host prefix length of 0', () => {
    expect(sipHostFor(selector, 0, 'sip.example.net')).toBe('sip.example.net');
  });

  it.each([[-1], [41], [1.5], [Number.NaN]])('refuses host prefix length %p', (length) => {
    expect(() => sipHostFor(selector, length, 'h')).toThrow(
      expect.objectContaining({ code: 'BAD_HOST_PREFIX_LENGTH' }),
    );
  });

  it('refuses an empty host and a text that is not a selector', () => {
    expect(() => sipHostFor(selector, 1, '')).toThrow(
      expect.objectContaining({ code: 'BAD_HOST_PREFIX_LENGTH' }),
    );
    expect(() => sipHostFor('alice', 1, 'h')).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }),
    );
  });
});
