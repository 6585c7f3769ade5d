"""Reader for the national AAF directory export (format ``ficAlimMENESR``).

The académie's « Annuaire Académique Fédérateur » (AAF) feeds the ENT with structures,
subjects, MEFs, pupils, relatives and staff (SDET annex, reference note §3). This package
only *reads* deliveries: :mod:`.delivery` opens a directory or an archive and lists its
files in the national processing order, :mod:`.parser` streams the records of one file
and :mod:`.values` decodes the ``$``-separated compound values. Nothing here touches the
database: importing the records is the job of the directory synchroniser.
"""
