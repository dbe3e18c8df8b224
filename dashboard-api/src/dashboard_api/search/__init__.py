"""The users' search projection: email, username and name of every Kratos identity, kept here
so a search is an indexed query (Kratos itself searches credential identifiers only)."""
