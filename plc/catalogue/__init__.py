"""Demand meets supply: offerings, enrolment, learning questions and matching."""
