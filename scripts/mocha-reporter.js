// The spec reporter, plus the plain closing line `N passed, N failed` that CI reads in any language.
'use strict';
const Mocha = require('mocha');

class SpecWithCount extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats ?? { passes: 0, failures: 0 };
      process.stdout.write(`\n${passes} passed, ${failures} failed\n`);
      if (passes + failures === 0) process.exitCode = 1; // a run that ran no test is a failure
    });
  }
}

module.exports = SpecWithCount;
