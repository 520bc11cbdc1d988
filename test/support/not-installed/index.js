// Never loaded: see package.json. Fails loudly if something does load it.
throw new Error(
  'not-installed: this dependency of @push.rocks/smartmongo is replaced on purpose (package.json overrides)',
);
