"""Surveys that evaluate sessions, offerings and pilots: building, answering, results."""
