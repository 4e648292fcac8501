"""The checker classes of the eras whose rules change in kind.

The profiles (one validated data file per round) are the JSON files beside them.
"""
