"""The resource library of a community: files (with versions) and links, under a licence."""
