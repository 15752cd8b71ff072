"""The texts of the Help menu: the keyboard shortcuts and About (for people using nnviz).

"Where the data came from" is built in :mod:`nnviz.main_window` (``DATA_HELP``,
``data_help()``), beside the data-set discovery it lists.
"""

__all__ = ["ABOUT", "SHORTCUTS_HELP"]

SHORTCUTS_HELP = """<table cellpadding=3>
<tr><td><b>Space</b></td><td>start training; pause / resume it (also while a number field
has the focus)</td></tr>
<tr><td><b>Esc</b></td><td>pause training (Space resumes)</td></tr>
<tr><td><b>Ctrl+Return</b></td><td>start training</td></tr>
<tr><td><b>Ctrl+.</b></td><td>train one batch, then pause</td></tr>
<tr><td><b>Ctrl+O</b></td><td>open a data set (IDX folder or Keras .npz)</td></tr>
<tr><td><b>Ctrl+L</b></td><td>load a model</td></tr>
<tr><td><b>Ctrl+S</b></td><td>save the model</td></tr>
<tr><td><b>Ctrl+E</b></td><td>export the training curves (CSV)</td></tr>
<tr><td><b>Ctrl+1 … Ctrl+6</b></td><td>switch tabs (Ctrl+2: the network editor)</td></tr>
<tr><td><b>Ctrl+Z</b>, <b>Ctrl+Shift+Z</b></td><td>Network tab: undo, redo an edit</td></tr>
<tr><td><b>Ctrl+Z</b>, <b>Delete</b></td><td>Draw tab: undo a stroke, clear the canvas</td></tr>
<tr><td><b>F1</b></td><td>this help</td></tr>
<tr><td><b>Ctrl+Q</b></td><td>quit (asks first when a trained model is not saved)</td></tr>
</table>
<p>The mouse wheel changes a field only after a click on it: over the settings it scrolls
the panel.</p>"""

ABOUT = """<p><b>nnviz</b> — watch a neural network learn.</p>
<p>nnviz trains a small convolutional network to read handwritten digits while you watch:
the loss and accuracy curves, the filters and feature maps changing inside it, the digits it
still gets wrong. It starts with the small CNN of a classic Keras MNIST tutorial (2016): two
convolutions and a pooling, a third convolution and a pooling, then two dense layers; the
Network tab builds others (LeNet-5, a dense network, a wider CNN, or your own).</p>
<p><b>What to try first</b></p>
<ol>
<li><b>Draw</b> a digit: the pre-trained network reads it as you draw.</li>
<li><b>Train</b>: press Start (or Space) and watch the loss fall; choose Speed → Watch to
follow it batch by batch. Set the learning rate to 10 to see a run diverge.</li>
<li><b>Network</b>: pick LeNet-5 or change a layer, see every shape and weight count at
once, Build, and train it: every tab follows the network you built.</li>
<li><b>Inside</b>: the filters and the feature maps of one digit, live while training runs.
</li>
<li><b>Regularization</b>: why L1 makes weights exactly zero and L2 does not; then set L1
to 3e-3 on the Train tab and watch the share of exact zeros grow.</li>
<li><b>Loss</b>: cross-entropy and softmax by hand, and a two-layer network small enough
to follow.</li>
</ol>
<p>Help → Keyboard shortcuts lists the keys; Help → Where the data came from says how to
get the full data sets.</p>"""
