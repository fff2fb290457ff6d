"""Projects loaders: rows by id, and the company's members (an assignee, a member)."""

from __future__ import annotations

from gql.core.loaders import ByIdLoader
from gql.domains.projects.models import Project, Task, TimeEntry


class ProjectByIdLoader(ByIdLoader[Project]):
    model = Project


class TaskByIdLoader(ByIdLoader[Task]):
    model = Task


class TimeEntryByIdLoader(ByIdLoader[TimeEntry]):
    model = TimeEntry
