import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/run-cli.js';

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: projectRoot });
  const [result] = await eslint.lintText(code, { filePath: path.join(projectRoot, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'ontocat/layer-imports').map((m) => m.message);
}

describe('layer import rule (DESIGN.md)', () => {
  it('allows imports from lower layers', async () => {
    expect(await lint('electron/handlers/x.ts', "import { a } from '../catalog/a.js';\nexport const b = a;\n")).toEqual([]);
    expect(await lint('renderer/src/x.ts', "import { a } from '../../electron/shared/a.js';\nexport const b = a;\n")).toEqual([]);
  });

  it('refuses upward imports, Node in browser layers and electron outside main/preload', async () => {
    expect(await lint('electron/catalog/x.ts', "import { a } from '../handlers/a.js';\nexport const b = a;\n")).toEqual([
      "Layer 'catalog' must not import from 'handlers' (../handlers/a.js); see DESIGN.md layers.",
    ]);
    expect(await lint('electron/shared/x.ts', "import fs from 'node:fs';\nexport const b = fs;\n")).toHaveLength(1);
    expect(await lint('renderer/src/x.ts', "import { a } from '../../electron/catalog/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await lint('electron/cli/x.ts', "import { app } from 'electron';\nexport const b = app;\n")).toHaveLength(1);
    expect(await lint('electron/cli/x.ts', "import { a } from '../catalog/a.js';\nexport const b = a;\n")).toHaveLength(1);
  });
});
