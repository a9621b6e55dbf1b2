/**
 * The types "Open" asks about (Electron) or refuses (browser host), per platform: the data behind
 * `open-guard.ts`. Extensions are written without the dot, lowercase.
 *
 * CHROMIUM mirrors Chromium's dangerous-file-type policy, `download_file_types.asciipb`
 * (components/safe_browsing/content/resources/ in Chromium's source; its README.md explains the
 * fields): every extension whose `platform_settings` give `danger_level: DANGEROUS` or
 * `ALLOW_ON_USER_GESTURE` for Windows, macOS or Linux (a setting without `platform` counts for every
 * platform the type does not name; ChromeOS and Android are left out).
 *   - Windows and macOS: version_id 49 of that file (chromium/chromium, commit 018b579b9e42).
 *   - Linux: version_id 69, as built into Chromium 156.0.8078.129 (Debian 12), read from its
 *     `resources.pak` (the build keeps only its own platform's settings). Version 69 also names
 *     `psm1 iqy library-ms diagcab diagcfg diagpkg bgi appx msix appxbundle msixbundle` in its Windows
 *     groups and `inetloc ftploc atloc` next to `fileloc` (macOS): a Linux build cannot show their
 *     level elsewhere, so they are listed on the platform of their group; `pyz pyzw` (Python zip
 *     apps, new in 69 and dangerous on Linux) are listed everywhere, like `py`.
 * To refresh: take the file from Chromium's source (https://chromium.googlesource.com/chromium/src/+/main/
 * components/safe_browsing/content/resources/download_file_types.asciipb), list per platform the
 * extensions with either danger level, replace the three lists below and update the version above;
 * `main/open-guard.test.ts` checks every entry on its platforms.
 *
 * LOCAL lists what Chromium does not call dangerous but the guard asks about anyway, each with why.
 */

export type GuardPlatform = 'windows' | 'mac' | 'linux';

const words = (text: string): string[] => text.trim().split(/\s+/);

/** In every platform's list of Chromium's file (no platform, or all three named). */
const CHROMIUM_EVERYWHERE = 'swf spl crx class jar jnlp oxt pl py pyc pyd pyo pyw pyz pyzw rb efi';
/** Shells: every platform but Windows. */
const CHROMIUM_UNIX_SHELLS = 'bash csh ksh sh shar tcsh';

export const CHROMIUM: Readonly<Record<GuardPlatform, readonly string[]>> = {
  windows: words(`${CHROMIUM_EVERYWHERE}
    msi msp mst ade adp mad maf mag mam maq mar mas mat mav maw mda mdb mde mdt mdw mdz accdb accde accdr
    accda ocx ops paf pcd pif plg prf prg pst cpi xll partial xrm-ms rels xml xsl xsd ps1 ps1xml ps2 ps2xml
    psc1 psc2 url website js jse vb vbe vbs vbscript ws wsc wsf wsh msh msh1 msh2 mshxml msh1xml msh2xml ad
    app application appref-ms asp asx bas bat cfg chi chm cmd com cpl crt cer der dll drv eml exe fon fxp
    gadget grp hlp hta htt inf ini ins inx isu isp job lnk local manifest mau mht mhtml mmc mof msc msg reg
    rgs scf scr sct search-ms settingcontent-ms shb shs slk sys u3p vdx vsx vtx vsdx vssx vstx vsdm vssm
    vstm vsd vsmacros vss vst vsw xbap xnk img
    psm1 iqy library-ms diagcab diagcfg diagpkg bgi appx msix appxbundle msixbundle`),
  mac: words(`${CHROMIUM_EVERYWHERE} ${CHROMIUM_UNIX_SHELLS}
    fileloc webloc cdr dart dc42 diskcopy42 dmg dmgpart dvdr dylib img imgpart ndif service smi
    sparsebundle sparseimage toast udif action definition wflow caction as cpgz command applescript scpt
    scptd seplugin osas osax mpkg pax workflow xip mobileconfig configprofile internetconnect
    networkconnect pkg
    inetloc ftploc atloc`),
  linux: words(`${CHROMIUM_EVERYWHERE} ${CHROMIUM_UNIX_SHELLS} pkg deb pet pup rpm slp out run desktop apk`),
};

export interface LocalTypes {
  platforms: readonly GuardPlatform[];
  types: readonly string[];
  why: string;
}

const ALL: readonly GuardPlatform[] = ['windows', 'mac', 'linux'];

export const LOCAL: readonly LocalTypes[] = [
  {
    platforms: ['windows'],
    types: words('iso vhd vhdx'),
    why: 'disk images Windows mounts on a double-click; what is inside loses the download mark (Chromium lists them as archives)',
  },
  {
    platforms: ['windows'],
    types: words('one onepkg'),
    why: 'OneNote notebooks carry attachments that run on a double-click',
  },
  {
    platforms: ['windows'],
    types: ['rdp'],
    why: 'a Remote Desktop file can hand the local drives and clipboard to a foreign server',
  },
  { platforms: ['windows'], types: ['wsb'], why: 'a Windows Sandbox file maps folders and runs a command at logon' },
  { platforms: ['windows'], types: ['appinstaller'], why: 'an App Installer file installs a package from a URL' },
  {
    platforms: ['linux'],
    types: words('flatpakref flatpakrepo'),
    why: 'a Flatpak reference installs an app, a repo file adds a software source',
  },
  {
    platforms: ALL,
    types: words(`exe msi msp msix appx bat cmd com scr pif cpl msc ps1 psm1 psd1 vbs vbe js jse wsf wsh hta
      reg inf lnk url scf appref-ms application gadget chm jar jnlp py pyw pl rb app command pkg mpkg dmg tool
      terminal workflow scpt sh bash zsh csh ksh run appimage deb rpm desktop snap flatpak`),
    why: 'the guard asked about these on every platform before issue 25 (Windows programs run under Wine on Linux and macOS); it never asks less',
  },
];

/** The platform's table (node's `process.platform`; anything but win32 and darwin counts as Linux). */
export function guardPlatform(platform: string): GuardPlatform {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'mac' : 'linux';
}

function tableFor(platform: GuardPlatform): ReadonlySet<string> {
  const local = LOCAL.filter((l) => l.platforms.includes(platform)).flatMap((l) => l.types);
  return new Set([...CHROMIUM[platform], ...local].map((ext) => `.${ext}`));
}

export const RISKY_TYPES: Readonly<Record<GuardPlatform, ReadonlySet<string>>> = {
  windows: tableFor('windows'),
  mac: tableFor('mac'),
  linux: tableFor('linux'),
};
