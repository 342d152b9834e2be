"""What the incident register tells other modules, without importing them.

`incident_recorded` is sent after an incident's victims are saved (on creation, and when a
victim is added later), inside the same transaction, with `incident` and `defender_ids` (the
victims, individuals and collectives). The risk module marks their current analyses for review
(INC-4); the desk may later open a check.
"""

from django.dispatch import Signal

incident_recorded = Signal()
