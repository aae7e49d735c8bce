"""PyTorch training loops: which ones clear the gradients."""


def plain(model, opt, data):
    for x, y in data:
        loss = (model(x) - y).pow(2).mean()
        loss.backward()
        opt.step()  # bug: training


def amp(model, optimizer, scaler, data):
    for x in data:
        scaler.scale(model(x).mean()).backward()
        scaler.step(optimizer)  # bug: training
        scaler.update()


def epochs(model, optimizer, loader, n):
    for _ in range(n):
        for x, y in loader:
            model(x).sub(y).abs().mean().backward()
            optimizer.step()  # bug: training


def while_loop(model, opt, stream):
    while stream.more():
        model(stream.next()).sum().backward()
        opt.step()  # bug: training


def with_scheduler(model, opt, sched, data):
    for x in data:
        model(x).sum().backward()
        opt.step()  # bug: training
        sched.step()


def correct(model, opt, data):
    for x, y in data:
        opt.zero_grad()
        (model(x) - y).pow(2).mean().backward()
        opt.step()  # fine: training


def accumulate(model, opt, data, every=4):
    for i, x in enumerate(data):
        (model(x).mean() / every).backward()
        if (i + 1) % every == 0:
            opt.step()  # fine: training
            opt.zero_grad(set_to_none=True)


def model_zero(model, opt, data):
    for x in data:
        model.zero_grad()
        model(x).sum().backward()
        opt.step()  # fine: training


def no_backward(sim, data):
    for x in data:
        sim.step()  # fine: training


def evaluate(model, data):
    for x in data:
        model(x).sum().backward()  # fine: training


def logged(model, opt, data):
    total = 0.0
    for x in data:
        opt.zero_grad()
        loss = model(x).mean()
        loss.backward()
        opt.step()  # fine: training
        total += loss  # bug: training
    return total


def logged_item(model, opt, data):
    total = 0.0
    for x in data:
        opt.zero_grad()
        loss = model(x).mean()
        loss.backward()
        opt.step()
        total += loss.item()  # fine: training
    return total
