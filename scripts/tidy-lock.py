#!/usr/bin/env python3
"""Drops the other platforms' optional binaries that `npm install` adds to package-lock.json on this
machine (the registry here lacks them), keeping every other change: new dependencies and workspaces.
Usage: python3 scripts/tidy-lock.py  (compares with the committed lock at HEAD)."""
import json, subprocess

old = json.loads(subprocess.check_output(['git', 'show', 'HEAD:package-lock.json'], text=True))
new = json.load(open('package-lock.json'))
kept = {}
dropped = set()
for key, value in new['packages'].items():
    # New optional packages (a platform's binary, a WASM fallback) and what they bundle: not ours.
    if key not in old['packages'] and (value.get('optional') or any(key.startswith(k + '/node_modules/') for k in dropped)):
        dropped.add(key)
        continue
    kept[key] = value
new['packages'] = kept
with open('package-lock.json', 'w') as f:
    json.dump(new, f, indent=2, ensure_ascii=False)
    f.write('\n')
