"""`python -m server.protocol`: print the protocol's JSON schema (read by `make codegen`)."""

import json

from server.protocol import json_schema

print(json.dumps(json_schema(), indent=2, sort_keys=True))
