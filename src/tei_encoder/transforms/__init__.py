"""Transforms that give meaning to parsed blocks: persons, header facts."""
