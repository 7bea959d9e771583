import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, ingestNames } from '../../../electron/main/menu-template.js';
import { service } from '../../../electron/shared/contract/schemas.js';
import { assertNameSegment } from '../../../electron/shared/version-ref.js';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? items(item.submenu) : [])]);
}

describe('application menu', () => {
  it('wires New, Open, Ingest and Reveal to their actions', () => {
    const called: string[] = [];
    const template = buildMenuTemplate({
      newCatalog: () => called.push('new'), openCatalog: () => called.push('open'),
      ingest: () => called.push('ingest'), revealRoot: () => called.push('reveal'),
    }, 'linux');
    for (const id of ['new-catalog', 'open-catalog', 'ingest', 'reveal-root']) {
      const item = items(template).find((entry) => entry.id === id);
      expect(item, id).toBeDefined();
      (item!.click as () => void)();
    }
    expect(called).toEqual(['new', 'open', 'ingest', 'reveal']);
    expect(items(template).find((entry) => entry.id === 'reveal-root')?.label).toBe('Show in File Manager');
  });

  it('File › Open Remote Catalog… calls its action (Ctrl/Cmd+Shift+O), next to Open Catalog…', () => {
    let opened = 0;
    const template = buildMenuTemplate({ newCatalog: () => undefined, openCatalog: () => undefined, openRemote: () => { opened += 1; }, revealRoot: () => undefined }, 'linux');
    const file = template.find((entry) => entry.label === 'File')!.submenu as MenuItemConstructorOptions[];
    const ids = file.map((entry) => entry.id);
    expect(ids.indexOf('open-remote')).toBe(ids.indexOf('open-catalog') + 1);
    const item = file.find((entry) => entry.id === 'open-remote')!;
    expect(item).toMatchObject({ label: 'Open Remote Catalog…', accelerator: 'CmdOrCtrl+Shift+O' });
    (item.click as () => void)();
    expect(opened).toBe(1);
  });

  it('leaves Ingest out when the contract has no ingest channel, and adds the app menu on macOS', () => {
    const template = buildMenuTemplate({ newCatalog: () => undefined, openCatalog: () => undefined, revealRoot: () => undefined }, 'darwin');
    expect(items(template).some((entry) => entry.id === 'ingest')).toBe(false);
    expect(template[0]?.label).toBe('Ontocat');
    expect(items(template).find((entry) => entry.id === 'reveal-root')?.label).toBe('Reveal in Finder');
  });

  it('derives a valid service and version for a menu ingest from the picked path', () => {
    const at = new Date('2024-05-06T07:08:09Z');
    expect(ingestNames('/data/go-basic.tar.gz', at)).toEqual({ service: 'go-basic', version: '2024-05-06-070809' });
    expect(ingestNames('C:\\Users\\me\\My Ontologies\\', at).service).toBe('My-Ontologies');
    expect(ingestNames('/tmp/...', at).service).toBe('imported');
    for (const source of ['/x/@@weird name!!.zip', '/x/.hidden', '/x/ü-ber.tgz']) {
      const names = ingestNames(source, at);
      expect(service.safeParse(names.service).success, names.service).toBe(true);
      expect(() => assertNameSegment('version', names.version)).not.toThrow();
    }
  });
});
