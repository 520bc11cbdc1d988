/** The login page's first-run hint (issue #18): shown while no user exists, gone once one does. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestNode } from '../factories.js';
import { addUser, startAdminTestNode } from '../browser/support.js';

describe('admin web: first-run hint on the login page', () => {
  let t: TestNode;
  before(async () => {
    t = await startAdminTestNode();
  });
  after(() => t.stop());

  it('tells how to create the first admin with the CLI, only while there is no user', async () => {
    const first = await (await fetch(`${t.url}/forvaltning/logg-inn`)).text();
    assert.match(first, /Første gang\?/);
    assert.match(first, /npx budbringer user create --username admin --role admin/);
    assert.match(first, /docker exec -it &lt;container&gt; node bin\/budbringer\.mjs user create/);
    await addUser(t, 'forste', 'admin');
    const later = await (await fetch(`${t.url}/forvaltning/logg-inn`)).text();
    assert.doesNotMatch(later, /Første gang\?/);
    assert.doesNotMatch(later, /user create/);
  });
});
