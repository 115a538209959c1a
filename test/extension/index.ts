// Entry the extension host loads when VS Code (code-server) runs with extensionTestsPath: it
// calls run(); a rejected promise is a failing exit code. Built to dist/test/index.js by
// `node scripts/build.mjs --test`; run by test/e2e/harness.sh. Prints "N passed, N failed".
import Mocha from 'mocha';
import { defineLoadSuite } from './loadSuite';
import { defineSuite } from './suite';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000 });
  // The suite is bundled with this file: hand mocha's tdd globals (suite, test, …) to it directly.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'suite', mocha);
  defineSuite();
  defineLoadSuite();
  let passed = 0;
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${passed} passed, ${failures} failed`);
      if (failures) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('pass', () => passed++);
  });
}
