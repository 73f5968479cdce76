// B9's peers, in their own process (pinned to core 0 by push-bench.mjs): the local APNs and FCM
// servers from @sipwake/testkit with 1 % 429 and 0.5 % 410/UNREGISTERED answers, seeded. Prints
// one JSON line with their URLs, CAs and credentials; stops on SIGTERM or when stdin closes.
import {
  generateApnsKey,
  generateServiceAccount,
  startApnsServer,
  startFcmServer,
} from '../../../libs/testkit/dist/index.js';

const bundle = 'com.example.bench';
const apnsKey = generateApnsKey();
const account = generateServiceAccount({ projectId: 'sipwake-bench' });
const apns = await startApnsServer({ keys: [apnsKey], topics: [bundle], maxRecorded: 1000 });
const fcm = await startFcmServer({
  accounts: [
    {
      clientEmail: account.json.client_email,
      projectId: 'sipwake-bench',
      publicKeyPem: account.publicKeyPem,
    },
  ],
  maxRecorded: 1000,
});
apns.answerRandomly([
  { ratio: 0.01, answer: { status: 429, reason: 'TooManyRequests' } },
  { ratio: 0.005, answer: { status: 410, reason: 'Unregistered' } },
]);
fcm.answerRandomly([
  { ratio: 0.01, answer: { status: 429, errorCode: 'QUOTA_EXCEEDED' } },
  { ratio: 0.005, answer: { status: 404, errorCode: 'UNREGISTERED' } },
]);
process.stdout.write(
  `${JSON.stringify({ bundle, apns: { url: apns.url, ca: apns.ca }, apnsKey, fcm: { url: fcm.url, ca: fcm.ca, tokenUri: fcm.tokenUri }, account: account.json })}\n`,
);
const stop = async () => {
  process.stderr.write(
    `servers: apns sessions ${apns.sessions()}, fcm sessions ${fcm.sessions()}, fcm grants ${fcm.grants()}, apns provider tokens ${apns.providerTokens().length}\n`,
  );
  await Promise.all([apns.stop(), fcm.stop()]);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
