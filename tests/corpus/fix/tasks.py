"""Async workers written for Python 3.7: the loop argument is gone since 3.10."""
import asyncio
import threading


async def worker(queue, results):
    while not queue.empty():
        item = await queue.get()
        await asyncio.sleep(0, loop=None)
        results.append(item * 2)


async def main():
    queue = asyncio.Queue()
    for i in range(3):
        queue.put_nowait(i)
    results = []
    await asyncio.gather(worker(queue, results), worker(queue, results))
    return sorted(results)


def background():
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    return thread.isAlive()


print(asyncio.run(main()))
print("alive:", background())
