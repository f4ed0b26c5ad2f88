"""Organisations: schools, boards, training schools, academies, institutes, networks; DUO import."""
