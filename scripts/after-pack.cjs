/* global require, exports */
// electron-builder afterPack hook: hardens Electron's fuses in release builds.
//
// Release builds (ONTOCAT_RELEASE=1) flip these fuses on the packed executable with
// @electron/fuses:
//   RunAsNode                              off  (ELECTRON_RUN_AS_NODE cannot turn the app into node)
//   EnableNodeOptionsEnvironmentVariable   off  (NODE_OPTIONS is ignored)
//   EnableNodeCliInspectArguments          off  (--inspect/--inspect-brk are ignored)
//   EnableCookieEncryption                 on
//   EnableEmbeddedAsarIntegrityValidation  on   (a tampered app.asar refuses to load)
//   OnlyLoadAppFromAsar                    on
//   GrantFileProtocolExtraPrivileges       off  (the app uses app://, never file://)
// Development packs keep the defaults so they can be debugged. @electron/fuses is a
// devDependency; should it be missing, a release build stops with an error instead of
// shipping unhardened.
const path = require('node:path');

/** The packed executable electron-builder produced for this platform. */
function executablePath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

exports.default = async function afterPack(context) {
  if (process.env.ONTOCAT_RELEASE !== '1') {
    console.log('after-pack: development build, Electron fuses left at their defaults (set ONTOCAT_RELEASE=1 to harden).');
    return;
  }
  let fuses;
  try {
    fuses = require('@electron/fuses');
  } catch {
    throw new Error('after-pack: release builds need @electron/fuses to harden Electron (npm i -D @electron/fuses).');
  }
  const { flipFuses, FuseVersion, FuseV1Options } = fuses;
  await flipFuses(executablePath(context), {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === 3 /* arm64 */,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  });
  console.log('after-pack: Electron fuses hardened for release.');
};
