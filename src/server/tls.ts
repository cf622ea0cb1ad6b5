/**
 * HTTPS material: the files the user named, or a self-signed certificate for localhost made once
 * with the system's openssl and kept in the data directory (so aws:SecureTransport is real).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function tlsMaterial(dataDir: string, certFile?: string, keyFile?: string): { cert: Buffer; key: Buffer } {
  if (certFile && keyFile) return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  const dir = join(dataDir, 'tls');
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  if (!existsSync(cert) || !existsSync(key)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '825',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
  }
  return { cert: readFileSync(cert), key: readFileSync(key) };
}
