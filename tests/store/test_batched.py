"""SQLiteStore.batched(): the transactions opened inside commit together, and each still fails alone."""

from __future__ import annotations

import sqlite3

import pytest

from sentinel.store.sqlite import SQLiteStore


def meta_seen_by_another_connection(store: SQLiteStore, key: str) -> str | None:
    with sqlite3.connect(store.path) as other:
        row = other.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else str(row[0])


def test_writes_inside_a_batch_commit_together_at_its_end(store: SQLiteStore) -> None:
    with store.batched():
        store.set_meta("a", "1")
        store.set_meta("b", "2")
        assert store.get_meta("a") == "1"  # this connection reads its own uncommitted writes
        assert meta_seen_by_another_connection(store, "a") is None
    assert meta_seen_by_another_connection(store, "a") == "1"
    assert meta_seen_by_another_connection(store, "b") == "2"


def test_a_failing_transaction_inside_a_batch_rolls_back_alone(store: SQLiteStore) -> None:
    with store.batched():
        store.set_meta("kept", "1")
        with pytest.raises(RuntimeError), store.tx() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES('lost', '1')")
            raise RuntimeError("a stage fails half-way")
        store.set_meta("after", "1")
    assert store.get_meta("kept") == "1" and store.get_meta("after") == "1"
    assert store.get_meta("lost") is None


def test_an_error_escaping_the_batch_rolls_back_all_of_it(store: SQLiteStore) -> None:
    store.set_meta("before", "1")
    with pytest.raises(RuntimeError), store.batched():
        store.set_meta("inside", "1")
        raise RuntimeError("the simulation stops")
    assert store.get_meta("before") == "1" and store.get_meta("inside") is None
    store.set_meta("later", "1")  # and the store is usable again, outside any batch
    assert meta_seen_by_another_connection(store, "later") == "1"
