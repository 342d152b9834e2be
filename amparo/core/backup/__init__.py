"""Encrypted backup and restore (SECURITY.md REL-04, REL-05; docs/decisions/0019).

    create_backup(out=Path("amparo.backup"))        # manage.py backup --out FILE
    restore_backup(archive_path=Path(...))          # manage.py restore FILE (empty instance)
    run_drill(archive_path=Path(...))               # manage.py restore_drill FILE

One archive: a tar stream of manifest.json, the database dump and MEDIA_ROOT, encrypted in
chunks under AMPARO_BACKUP_KEY (see archive.py). The KEK-wrapped keyring travels with the
database; the master key never does.
"""
