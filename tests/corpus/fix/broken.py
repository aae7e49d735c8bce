import collections

def broken(:
    return collections.Mapping
