#!/usr/bin/env python
"""Check that meta/runtime.yml's action group `groupid` lists exactly the collection's modules.

Every module in plugins/modules/ must be in the group (so `module_defaults: {group/groupid.groupid.groupid: ...}`
reaches it), and the group must not name a module that does not exist. Run from the collection root.
"""

from __future__ import annotations

import os
import sys

import yaml

GROUP = 'groupid'


def main() -> int:
    with open(os.path.join('meta', 'runtime.yml'), encoding='utf-8') as f:
        runtime = yaml.safe_load(f) or {}
    listed = runtime.get('action_groups', {}).get(GROUP) or []
    names = [entry for entry in listed if isinstance(entry, str)]
    modules = sorted(
        os.path.splitext(name)[0]
        for name in os.listdir(os.path.join('plugins', 'modules'))
        if name.endswith('.py') and name != '__init__.py'
    )
    errors = ['plugins/modules/%s.py is not in meta/runtime.yml action_groups.%s' % (m, GROUP)
              for m in modules if m not in names]
    errors += ['meta/runtime.yml action_groups.%s lists %r, which is not a module in plugins/modules/' % (GROUP, n)
               for n in names if n not in modules]
    errors += ['meta/runtime.yml action_groups.%s lists %r more than once' % (GROUP, n)
               for n in sorted(set(names)) if names.count(n) > 1]
    for error in errors:
        print(error, file=sys.stderr)
    if not errors:
        print('action group %s: %d modules, all listed: %s' % (GROUP, len(modules), ', '.join(modules)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
