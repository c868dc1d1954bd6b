"""The grants' routes: each package's pages and API endpoints, in one list each, and the
public pages served from a short cache (app/registry.py names this module)."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute

from grants.applications import routes as applications
from grants.calls import routes as calls
from grants.coops import routes as coops
from grants.funds import routes as funds
from grants.impact import routes as impact
from grants.projects import routes as projects
from grants.review import routes as review

# The public directory of projects (its pages and its whole CSV): served to anonymous
# visitors from a 2-second cache.
CACHEABLE = (re.compile(r"/o/[a-z0-9-]+/projects(\.csv|/[0-9]+)?"),)
PACKAGES = (calls, impact, applications, coops, funds, review, projects)
PAGES: list[BaseRoute] = [route for package in PACKAGES for route in package.PAGES]
API: list[BaseRoute] = [route for package in PACKAGES for route in package.API]
