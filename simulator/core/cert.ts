/**
 * A CA and a leaf certificate for 127.0.0.1 / localhost, ECDSA P-256, made with @peculiar/x509 on
 * Node's WebCrypto. Generated once per process (tests start many simulators) and written to each
 * simulator's data folder, so clients can trust it with NODE_EXTRA_CA_CERTS=<data>/ca.pem. A data
 * folder that already holds a valid set (the app's demo folder on its next start) is reused as is.
 * The CA's private key is never written anywhere.
 */
import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { installReflectShim } from './reflect-shim';

export interface CertBundle {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}

async function generate(): Promise<CertBundle> {
  installReflectShim();
  const x509 = await import('@peculiar/x509');
  const crypto = webcrypto;
  // Node's webcrypto is the standard Crypto; the typings of Node and of the DOM disagree on details.
  x509.cryptoProvider.set(crypto as Parameters<typeof x509.cryptoProvider.set>[1]);
  const now = Date.now();
  const notBefore = new Date(now - 24 * 3600 * 1000);
  const notAfter = new Date(now + 2 * 365 * 24 * 3600 * 1000);

  const caKeys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=PowerOn Sources Simulator CA, O=PowerOn Sources (local test only)',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const leafKeys = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '2'),
    subject: 'CN=127.0.0.1',
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });

  const pkcs8 = await crypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return { caPem: ca.toString('pem') + '\n', certPem: leaf.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', pkcs8) };
}

let cached: Promise<CertBundle> | null = null;

/** The process-wide certificate bundle (generated on first use). */
export function certificates(): Promise<CertBundle> {
  cached ??= generate().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}

const DAY_MS = 86_400_000;

/** A valid bundle already in `dir` (issued by its CA, matching key, 127.0.0.1, 30+ days left), or null. */
export async function readCertificates(dir: string): Promise<CertBundle | null> {
  try {
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.pem', 'cert.pem', 'key.pem'].map((f) => readFile(join(dir, f), 'utf8')),
    );
    if (!caPem || !certPem || !keyPem) return null;
    const ca = new X509Certificate(caPem);
    const leaf = new X509Certificate(certPem);
    const ok =
      leaf.checkIssued(ca) &&
      leaf.verify(ca.publicKey) &&
      leaf.checkPrivateKey(createPrivateKey(keyPem)) &&
      leaf.checkIP('127.0.0.1') !== undefined &&
      Date.parse(leaf.validTo) > Date.now() + 30 * DAY_MS &&
      Date.parse(leaf.validFrom) < Date.now() &&
      Date.parse(ca.validTo) > Date.now() + 30 * DAY_MS;
    return ok ? { caPem, certPem, keyPem } : null;
  } catch {
    return null;
  }
}

/** Writes ca.pem, cert.pem and key.pem into `dir`; returns the CA path. */
export async function writeCertificates(dir: string, bundle: CertBundle): Promise<string> {
  await mkdir(dir, { recursive: true });
  const caPath = join(dir, 'ca.pem');
  await Promise.all([
    writeFile(caPath, bundle.caPem),
    writeFile(join(dir, 'cert.pem'), bundle.certPem),
    writeFile(join(dir, 'key.pem'), bundle.keyPem, { mode: 0o600 }),
  ]);
  return caPath;
}
