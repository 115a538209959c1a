// `crystal-gan download-data` end to end: the built CLI fetches from a local mirror on 127.0.0.1
// (never the internet). The server lives in this process, so the CLI is spawned asynchronously
// (runCli's spawnSync would block the server's event loop).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { findDataset } from '../src/core/data/catalog';
import { cliBundle, projectRoot, runCli, sharedData, type CliResult } from './helpers/cli';

const smact = findDataset('smact');
let server: http.Server;
let mirror: string;
let served = 0;
/** Called when the stalling route is hit (the client is then mid-transfer). */
let onStall: (() => void) | undefined;

/** Serves the shared data's copies of the smact files at their origin paths (a wget -x mirror), and 404 for the rest. */
before(async () => {
  const byUrlPath = new Map((smact?.files ?? []).map((f) => [`/${new URL(f.url).host}${new URL(f.url).pathname}`, path.join(sharedData, f.path)]));
  server = http.createServer((req, res) => {
    if (req.url?.endsWith('/perov_5/val.csv')) {
      // Stalls mid-body: the client is interrupted while it waits.
      res.writeHead(200, { 'content-length': 1_000_000 });
      res.write(Buffer.alloc(1000, 65));
      return void onStall?.();
    }
    const file = byUrlPath.get(req.url ?? '');
    if (!file || !fs.existsSync(file)) return void res.writeHead(404).end();
    served++;
    const body = fs.readFileSync(file);
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

function runCliAsync(args: string[], env: Record<string, string> = {}, interruptWhen?: Promise<void>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBundle, ...args], { cwd: projectRoot, env: { ...process.env, ...env } });
    // The CLI installs its SIGINT handler before any request, so once the server sees one it is safe to interrupt.
    interruptWhen?.then(() => setTimeout(() => child.kill('SIGINT'), 100));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const hasShared = fs.existsSync(path.join(sharedData, 'smact', 'oxidation_states.txt'));

describe('crystal-gan download-data', () => {
  it('lists the catalogue with availability', () => {
    const r = runCli(['download-data', '--list']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /magpie\s+exact\s+68\s+elements\/magpie\s/);
    assert.match(r.stdout, /mp-20\s+manual\s+0/);
    assert.match(r.stdout, /expt-gap-matbench\s+converted/);
    assert.match(r.stdout, /nbo-poscar\s+unverified\s+267\s+nbo\/poscar\s/);
  });

  it('rejects an unknown data set with exit code 2 and the known names', () => {
    const r = runCli(['download-data', 'nope', '--dir', os.tmpdir()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown data set "nope"; known: magpie, /);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  it('rejects a mirror that is not an http(s) URL', () => {
    const r = runCli(['download-data', 'smact', '--mirror', 'ftp://x', '--dir', os.tmpdir()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mirror ftp:\/\/x: expected an http/);
  });

  it('downloads a set from the mirror into --dir, verified, then skips it the second time', { skip: !hasShared }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-download-'));
    const first = await runCliAsync(['download-data', 'smact', '--dir', dir, '--mirror', mirror]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /\[4\/4\] smact\/LICENSE\.smact: downloaded/);
    assert.match(first.stdout, /smact\s+4\s+0\s+0/);
    assert.match(first.stdout, new RegExp(`data directory: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    for (const f of smact?.files ?? []) assert.deepEqual(fs.readFileSync(path.join(dir, f.path)), fs.readFileSync(path.join(sharedData, f.path)));
    const servedBefore = served;
    const second = await runCliAsync(['download-data', 'smact', '--dir', dir], { CRYSTAL_GAN_DATA_MIRROR: mirror });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /smact\s+0\s+4\s+0/);
    assert.equal(served, servedBefore);
  });

  it('Ctrl-C during a transfer exits 130 and leaves no partial or temporary file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-download-'));
    const stalled = new Promise<void>((resolve) => (onStall = resolve));
    const r = await runCliAsync(['download-data', 'perov-5', '--dir', dir, '--mirror', mirror], {}, stalled);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /download interrupted/);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'structures', 'perov_5')), []);
  });

  it('exits 1 with the URL when files cannot be fetched, and names sets that need copying by hand', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-cli-download-'));
    const r = await runCliAsync(['download-data', 'carbon-24', 'mp-20', '--dir', dir, '--mirror', mirror]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /carbon_24\/val\.csv: HTTP 404/);
    assert.match(r.stdout, /mp-20\s+0\s+0\s+0\s+-\s+manual: /);
    assert.match(r.stdout, /3 file\(s\) failed, 1 set\(s\) need copying by hand/);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => !f.startsWith('.')), ['structures']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'structures', 'carbon_24')), []);
  });
});
