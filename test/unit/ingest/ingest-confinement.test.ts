import { describe, expect, it } from 'vitest';
import { assertPathAllowed, assertUrlAllowed, confinedLookup, isInternalAddress, withConfinement } from '../../../electron/ingest/ingest-confinement.js';

const policy = { roots: ['/srv/ontologies'], allowedHosts: [], allowPrivateNetwork: false };

describe('ingest confinement', () => {
  it('classifies loopback, private, link-local, metadata and mapped addresses as internal, public ones not', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '10.0.0.8', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '::1', '::', 'fe80::1', 'fd00::5', '::ffff:127.0.0.1', '::ffff:10.1.1.1', '[::1]']) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', 'example.org']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it('outside a confined call nothing is refused (the root owner on the desktop or CLI)', async () => {
    expect(() => assertUrlAllowed('http://127.0.0.1:9/x')).not.toThrow();
    await expect(assertPathAllowed('/etc')).resolves.toBeUndefined();
    expect(confinedLookup()).toBeUndefined();
  });

  it('inside one: refuses internal hosts by name and address, other schemes, and paths outside the roots by text', async () => {
    await withConfinement(policy, async () => {
      for (const url of ['http://127.0.0.1:8080/a', 'http://localhost/a', 'http://LOCALHOST./a', 'http://[::1]/a', 'http://169.254.169.254/latest/meta-data/',
        'http://10.0.0.1/a', 'http://intranet/a', 'file:///etc/passwd', 'ftp://example.org/a', 'http://[::ffff:7f00:1]/a']) {
        expect(() => assertUrlAllowed(url), url).toThrow(/Refused/);
      }
      expect(() => assertUrlAllowed('https://example.org/go.obo')).not.toThrow();
      await expect(assertPathAllowed('/etc')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(assertPathAllowed('/srv/ontologies/../../etc')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(assertPathAllowed('relative/go')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(assertPathAllowed('file:///srv/ontologies/go')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  it('the connect-time lookup refuses a name that resolves to loopback (what DNS answers, not the name)', async () => {
    const lookup = withConfinement(policy, () => confinedLookup())!;
    const outcome = await new Promise<{ error: Error | null }>((resolve) => {
      (lookup as unknown as (host: string, options: object, cb: (error: Error | null) => void) => void)('localhost', {}, (error) => resolve({ error }));
    });
    expect(outcome.error?.message).toMatch(/resolves to (127\.0\.0\.1|::1).*loopback/);
    const allowed = withConfinement({ ...policy, allowedHosts: ['localhost'] }, () => confinedLookup())!;
    const ok = await new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      (allowed as unknown as (host: string, options: object, cb: (error: Error | null, address: unknown) => void) => void)('localhost', {}, (error, address) => resolve({ error, address }));
    });
    expect(ok.error).toBeNull();
    expect(String(ok.address)).toMatch(/^(127\.0\.0\.1|::1)$/);
  });
});
