# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import make_client, transport  # noqa: F401 pylint: disable=unused-import
