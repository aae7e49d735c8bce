"""An inventory report an assistant wrote against Python 2-era APIs: it crashes on 3.11."""
import collections
import base64
import itertools
import time
from collections import OrderedDict, Iterable


class Inventory(collections.MutableMapping):
    def __init__(self):
        self._items = OrderedDict()

    def __getitem__(self, key):
        return self._items[key]

    def __setitem__(self, key, value):
        self._items[key] = value

    def __delitem__(self, key):
        del self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)


def flatten(values):
    for value in values:
        if isinstance(value, Iterable) and not isinstance(value, str):
            yield from flatten(value)
        else:
            yield value


def main():
    started = time.clock()
    stock = Inventory()
    stock["apples"] = 3
    stock["pears"] = 5
    for name, count in itertools.izip(stock, stock.values()):
        print(name, count)
    print(list(flatten([1, [2, [3, "four"]]])))
    print(base64.encodestring(b"inventory").decode().strip())
    print("took", "some" if time.clock() >= started else "negative", "time")


main()
