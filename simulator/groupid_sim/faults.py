"""Injected faults: consumed in the order added, each for ``count`` matching requests."""

from __future__ import annotations

import itertools
import threading

KINDS = ('latency', 'status', 'drop', 'malformed', 'attribute_failure', 'approval')


class FaultError(ValueError):
    """A fault definition the simulator cannot use."""


class Faults:
    """The active faults, in the order added."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = []
        self.ids = itertools.count(1)

    def add(self, fault):
        if not isinstance(fault, dict) or fault.get('kind') not in KINDS:
            raise FaultError('kind must be one of %s (expire_tokens is an action)' % ', '.join(KINDS))
        fault = dict(fault)
        fault.setdefault('count', 1)
        count = fault['count']
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise FaultError('count must be a positive integer or null (unlimited)')
        methods = fault.get('methods')
        if methods is not None and (not isinstance(methods, list) or not all(isinstance(m, str) for m in methods)):
            raise FaultError('methods must be a list of HTTP methods')
        if fault.get('path_contains') is not None and not isinstance(fault['path_contains'], str):
            raise FaultError('path_contains must be a string')
        if fault['kind'] == 'status' and not isinstance(fault.get('status'), int):
            raise FaultError('a status fault needs an integer status')
        if fault['kind'] == 'drop' and fault.get('when', 'before') not in ('before', 'after'):
            raise FaultError('when must be before or after')
        if fault['kind'] == 'latency' and (isinstance(fault.get('seconds'), bool)
                                           or not isinstance(fault.get('seconds'), (int, float)) or fault['seconds'] < 0):
            raise FaultError('a latency fault needs seconds (a number >= 0)')
        if fault['kind'] == 'status' and not 100 <= fault['status'] <= 599:
            raise FaultError('status must be an HTTP status code')
        if fault['kind'] == 'attribute_failure' and (not isinstance(fault.get('attributes'), list)
                                                     or not fault['attributes']):
            raise FaultError('an attribute_failure fault needs a list of attributes')
        with self.lock:
            fault['id'] = next(self.ids)
            self.active.append(fault)
        return fault['id']

    def clear(self):
        with self.lock:
            self.active = []

    def list(self):
        with self.lock:
            return [dict(f) for f in self.active]

    def take(self, method, path, kinds):
        """Consume, per kind, the first fault of ``kinds`` that matches this request; returns them."""
        taken = []
        with self.lock:
            for fault in list(self.active):
                if fault['kind'] not in kinds or fault['kind'] in [t['kind'] for t in taken]:
                    continue
                if fault.get('methods') and method not in [m.upper() for m in fault['methods']]:
                    continue
                if fault.get('path_contains') and fault['path_contains'] not in path:
                    continue
                taken.append(dict(fault))
                if fault['count'] is not None:
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        self.active.remove(fault)
        return taken
