def generate(capture, seed, count):
    raise NotImplementedError
