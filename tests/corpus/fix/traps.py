"""Look-alikes that must stay exactly as they are: local names, strings, comments."""


def getargspec(func):
    return "local getargspec of " + func.__name__


class clock:
    @staticmethod
    def time():
        return "my clock"


def encodestring(text):
    return text.upper()


collections_note = "collections.Mapping moved to collections.abc.Mapping"
# time.clock() was removed in 3.8; base64.encodestring in 3.9
print(getargspec(print))
print(clock.time())
print(encodestring("loud"))
print(collections_note)
