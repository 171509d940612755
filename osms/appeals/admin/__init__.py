"""The back office of the appeals register.

Fund officers: queues by region and topic, nearest deadline first; assign (to themselves or another
officer), start, record contacts with the medical organisation and what was found, write the answer with
documents. Call-centre operators: register an appeal for a caller and read where appeals stand. Every
write is a service call (the services check who may make each move); every opening of an appeal or of a
document is an audited read.
"""

from . import appeal  # noqa: F401  (registers the ModelAdmin)
