"""Pages of threat assessment and risk analysis: thin views over queries and services."""
