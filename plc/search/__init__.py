"""One search box over communities, discussions and resources, within what a person may read."""
