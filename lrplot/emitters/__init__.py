"""The code ``--emit`` writes, one module per target (``lrplot.emit`` picks the target and refuses).

* :mod:`.pytorch`: ``torch`` and ``hf`` scripts (torch's classes, transformers' functions);
* :mod:`.timm_script`: ``timm`` scripts; :mod:`.functions`: ``optax`` and ``keras`` scripts;
* :mod:`.figure`: the ``toml`` figure entry for ``lrplot render``;
* :mod:`.code` and :mod:`.rows`: Python literals and layout, and the rows a script prints.
"""
