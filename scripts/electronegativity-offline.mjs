// Preloaded (`node --import`) into Electronegativity's process by electronegativity.mjs.
//
// Electronegativity makes two requests through `got`, and both already tolerate failure (they log
// a line and go on): translations for $LANG (it ships en-US, which we use), and Electron's release
// list for AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, which only reports on a package.json with an
// `electron` dependency in its input (ours holds main/, preload/, shared/ and renderer/index.html,
// no package.json), so it never reports here. Offline, got's DNS retries cost about 10 s of
// waiting per run; this makes both requests fail at once. The findings do not change.
import Module from 'node:module';

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'got') {
    const refuse = () => Promise.reject(new Error('offline: npm run test:security makes no network requests'));
    refuse.head = refuse;
    return refuse;
  }
  return load.call(this, request, ...rest);
};
