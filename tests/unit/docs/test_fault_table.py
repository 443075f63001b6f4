# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The faults guide's table lists exactly the cases of the groupid_contact_faults integration target."""

from __future__ import annotations

import os
import re

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
GUIDE = os.path.join(ROOT, 'docs', 'docsite', 'rst', 'guide_faults.rst')
TARGET = os.path.join(ROOT, 'tests', 'integration', 'targets', 'groupid_contact_faults', 'tasks', 'main.yml')


def guide_cases():
    with open(GUIDE, encoding='utf-8') as handle:
        text = handle.read()
    section = text.split('Injected faults')[1].split('Token faults')[0]
    rows = re.findall(r'^   \* - (.+)$', section, flags=re.MULTILINE)
    return [row.strip() for row in rows[1:]]     # the first row is the header


def target_cases():
    with open(TARGET, encoding='utf-8') as handle:
        tasks = yaml.safe_load(handle)
    loop = next(task['loop'] for task in tasks if task.get('name') == 'Run each fault case')
    return [case['name'] for case in loop]


def test_guide_table_matches_the_fault_cases():
    assert guide_cases() == target_cases()
    assert len(target_cases()) >= 10
