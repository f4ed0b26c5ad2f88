"""Communities (professionele leergemeenschappen): co-ownership, membership, invitations."""
