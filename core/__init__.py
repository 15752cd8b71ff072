"""nnviz's training engine: a small numpy library with a Keras-like API. Never imports Qt."""
