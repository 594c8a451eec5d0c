"""The corpus as a whole: its register of persons, places and organisations, its catalogue and reports."""
