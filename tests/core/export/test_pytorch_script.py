"""The exported PyTorch script: the same outputs, the same loss, the same first training
step as nnviz, and it trains and tests a few batches when run."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from core.export import to_pytorch
from core.export.pytorch_script import pytorch_source
from tests.core.export.networks import NETWORKS, digits, shipped
from tests.core.export.test_onnx_graph import Mystery
from tests.core.idx_files import make_idx_folder


def exported(model, folder, name="net"):
    """Export ``model`` into ``folder`` and import the script as a module."""
    script, weights = to_pytorch(model, folder / f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"exported_{name}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, script, weights


@pytest.mark.parametrize("name", NETWORKS)
def test_the_script_predicts_what_nnviz_predicts(name, tmp_path):
    pytest.importorskip("torch")
    model = NETWORKS[name]()
    module, script, weights = exported(model, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.npz", "net.py"]
    x, _ = digits(100)
    net = module.load_network(weights)
    np.testing.assert_allclose(module.predict(net, x), model.predict(x), rtol=0, atol=1e-4)


@pytest.mark.parametrize("name", NETWORKS)
def test_the_script_computes_nnviz_loss_with_the_penalties(name, tmp_path):
    torch = pytest.importorskip("torch")
    model = NETWORKS[name]()
    module, _, weights = exported(model, tmp_path)
    x, y = digits(100)
    net = module.load_network(weights)
    with torch.no_grad():
        loss, _ = module.loss_and_outputs(net, torch.from_numpy(x),
                                          torch.from_numpy(y.astype(np.int64)))
        total = float(loss + module.penalty(net))
    assert total == pytest.approx(model.evaluate(x, y)["loss"], rel=1e-4)


@pytest.mark.parametrize("name", ["shipped", "int_padding_tanh_head", "dense_sigmoid_head",
                                  "dense_sum_squared_softmax", "batch_norm_pools_leaky_elu",
                                  "preset_lenet5"])
def test_one_training_step_moves_the_weights_as_nnviz_does(name, tmp_path):
    """SGD with Nesterov momentum, Adagrad and Adadelta: the first step is the same rule."""
    torch = pytest.importorskip("torch")
    model = NETWORKS[name]()
    module, _, weights = exported(model, tmp_path)
    x, y = digits(50)
    net = module.load_network(weights).train()
    optimizer, schedule = module.make_optimizer(net)
    loss, _ = module.loss_and_outputs(net, torch.from_numpy(x),
                                      torch.from_numpy(y.astype(np.int64)))
    (loss + module.penalty(net)).backward()
    optimizer.step()
    model.workers = 1  # the reference: one pass over the whole batch, no shards
    model.train_on_batch(x, y)
    state = net.state_dict()
    for nnviz_name, p in model.named_params().items():
        key, transposed = module.WEIGHT_MAP[nnviz_name]
        torch_value = state[key].numpy()
        np.testing.assert_allclose(torch_value.T if transposed else torch_value, p,
                                   rtol=0, atol=2e-5, err_msg=nnviz_name)


def test_run_as_a_script_it_trains_a_few_batches_and_tests(tmp_path):
    pytest.importorskip("torch")
    _, script, _ = exported(shipped(), tmp_path / "export", "tutorial")
    make_idx_folder(tmp_path / "data", n_train=300, n_test=40)
    saved = tmp_path / "trained.pt"
    done = subprocess.run(
        [sys.executable, str(script), "--data", str(tmp_path / "data"), "--epochs", "1",
         "--batch-size", "100", "--save", str(saved)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"300 training images from {tmp_path / 'data'}, on cpu"
    assert lines[1].startswith("epoch 1/1 - loss ") and "val_accuracy" in lines[1]
    assert lines[2].startswith("test loss ") and lines[2].endswith("(40 images)")
    assert saved.is_file() and "Warning" not in done.stderr


def test_training_in_process_with_dropout_and_penalties(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    model = NETWORKS["same_padding_stride_prelu"]()
    module, _, weights = exported(model, tmp_path)
    assert module.PENALTIES and "ElementwisePReLU" in module.Net().body[1].__class__.__name__
    x, y = digits(120)
    net = module.load_network(weights)
    before = net.state_dict()["body.conv2d_1.weight"].clone()
    module.train(net, torch.from_numpy(x), torch.from_numpy(y.astype(np.int64)), epochs=1,
                 batch_size=50, validation_split=0.2, device=torch.device("cpu"))
    assert not torch.equal(before, net.state_dict()["body.conv2d_1.weight"])
    assert capsys.readouterr().out.startswith("epoch 1/1 - loss ")


def test_the_script_is_clean_python(tmp_path):
    """It compiles, and ruff (when installed) finds nothing to say about it."""
    for name, build in NETWORKS.items():
        source = pytorch_source(build(), "net.npz", "net.py")
        compile(source, name, "exec")
        assert "# DDP: torch.distributed.init_process_group()" in source
        assert "# DDP: net = nn.parallel.DistributedDataParallel(net)" in source
        (tmp_path / f"{name}.py").write_text(source)
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--line-length",
                           "100", "--select", "E,F,W,I,B,UP", str(tmp_path)],
                          capture_output=True, text=True)
    if "No module named ruff" in done.stderr:
        pytest.skip("ruff is not installed")
    assert done.returncode == 0, done.stdout


def test_the_weights_file_is_an_nnviz_model_file(tmp_path):
    from core.model import Sequential

    model = shipped()
    script, weights = to_pytorch(model, tmp_path / "out")  # .py is added
    assert (script.name, weights.name) == ("out.py", "out.npz")
    twin = Sequential.load(weights)
    x, _ = digits(10)
    np.testing.assert_array_equal(twin.predict(x), model.predict(x))


def test_a_layer_without_a_pytorch_form_is_refused_before_writing(tmp_path):
    model = shipped()
    model.add(Mystery())
    with pytest.raises(ValueError,
                       match=r"Mystery \(layer mystery_1\) cannot be exported to PyTorch"):
        to_pytorch(model, tmp_path / "m.py")
    assert list(tmp_path.iterdir()) == []


def test_every_layer_type_has_a_pytorch_form():
    from core.export.pytorch_script import LAYERS
    from core.layers import LAYER_TYPES
    from tests.core.networks import every_layer_type

    layers = every_layer_type().layers
    assert {type(layer) for layer in layers} == set(LAYER_TYPES.values())
    for layer in layers:
        LAYERS.lookup(layer)
