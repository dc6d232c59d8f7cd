"""The network: one BERT encoder, mean-pooled, with three heads (topics, grade, sentiment).

Why one shared encoder: measured on dev (MODEL_CARD.md), three single-task encoders of the same
size score no better and cost three times the CPU at inference; the grade and topic tasks share
what they need (what happened, to whom, how many).

Mean pooling over real tokens rather than [CLS]: a small encoder trained from scratch on a few
thousand posts has no next-sentence pretraining to give [CLS] a meaning.

Beside the encoder, an optional "wide" path (fastText-style): hashed character bigrams and
trigrams, computed from the input ids inside forward(), averaged into a vector that is concatenated
to the pooled encoding. With a few thousand labelled posts, n-gram evidence is what a linear
model learns best and a small encoder learns slowest; the encoder adds context (negation, who did
what). It needs no extra tokenizer, so a saved model is still one save_pretrained folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from transformers import BertConfig, BertModel
from transformers.models.bert.modeling_bert import BertPreTrainedModel

from sentinel.classify.model.labels import GRADES, SENTIMENTS, TOPICS


@dataclass
class HeadOutput:
    topic_logits: torch.Tensor  # (batch, topics): independent sigmoids
    grade_logits: torch.Tensor  # (batch, grades): softmax
    sentiment_logits: torch.Tensor  # (batch, sentiments): softmax
    loss: torch.Tensor | None = None


def small_config(vocab_size: int, **overrides: Any) -> BertConfig:
    """The from-scratch size: small enough for 2 CPU cores, large enough to read a post."""
    values: dict[str, Any] = {
        "vocab_size": vocab_size,
        "hidden_size": 256,
        "num_hidden_layers": 4,
        "num_attention_heads": 4,
        "intermediate_size": 1024,
        "max_position_embeddings": 160,
        "type_vocab_size": 1,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "pad_token_id": 0,
    }
    values.update(overrides)
    return BertConfig(**values)


_P1, _P2 = 1_000_003, 10_007  # primes for the n-gram hash; ids < 2^20 keep it inside int64


def max_length_of(model: Any) -> int:
    """Tokens the model reads: its own setting with a pretrained base, else its positions."""
    config = model.config
    return int(getattr(config, "sentinel_max_length", None) or config.max_position_embeddings)


class MultiTaskBert(BertPreTrainedModel):  # type: ignore[no-untyped-call]
    """BERT encoder + topic / grade / sentiment heads; saves and loads like any HF model."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__(config)
        # Head sizes live in the config so that from_pretrained rebuilds the same shapes.
        self.num_topics = int(getattr(config, "num_topics", len(TOPICS)))
        self.num_grades = int(getattr(config, "num_grades", len(GRADES)))
        self.num_sentiments = int(getattr(config, "num_sentiments", len(SENTIMENTS)))
        config.num_topics, config.num_grades, config.num_sentiments = (
            self.num_topics,
            self.num_grades,
            self.num_sentiments,
        )
        self.ngram_buckets = int(getattr(config, "ngram_buckets", 0) or 0)
        self.ngram_dim = int(getattr(config, "ngram_dim", 0) or 0) if self.ngram_buckets else 0
        config.ngram_buckets, config.ngram_dim = self.ngram_buckets, self.ngram_dim
        self.bert = BertModel(config, add_pooling_layer=False)
        self.ngrams = nn.Embedding(self.ngram_buckets, self.ngram_dim) if self.ngram_buckets else None
        self.dropout = nn.Dropout(config.hidden_dropout_prob)
        width = config.hidden_size + self.ngram_dim
        self.topic_head = nn.Linear(width, self.num_topics)
        self.grade_head = nn.Linear(width, self.num_grades)
        self.sentiment_head = nn.Linear(width, self.num_sentiments)
        self.post_init()  # type: ignore[no-untyped-call]

    def pooled(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden: torch.Tensor = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        if self.ngrams is None:
            return pooled
        return torch.cat([pooled, self.ngram_vector(input_ids, attention_mask)], dim=-1)

    def ngram_vector(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """Mean embedding of the hashed bigrams and trigrams of the real tokens."""
        assert self.ngrams is not None  # noqa: S101 - only called with the wide path on
        ids, mask = input_ids.long(), attention_mask.bool()
        # Multiplicative hashing in int64: ids < 2^20, so the products stay far below 2^63.
        bigrams = (ids[:, :-1] * _P1 + ids[:, 1:]) % self.ngram_buckets
        trigrams = ((ids[:, :-2] * _P2 + ids[:, 1:-1]) * _P1 + ids[:, 2:]) % self.ngram_buckets
        valid = torch.cat([mask[:, :-1] & mask[:, 1:], mask[:, :-2] & mask[:, 1:-1] & mask[:, 2:]], dim=1)
        grams = torch.cat([bigrams, trigrams], dim=1)
        weights = valid.unsqueeze(-1).to(self.ngrams.weight.dtype)
        summed: torch.Tensor = (self.ngrams(grams) * weights).sum(dim=1)
        return summed / weights.sum(dim=1).clamp(min=1.0)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        topics: torch.Tensor | None = None,
        primary: torch.Tensor | None = None,
        grade: torch.Tensor | None = None,
        sentiment: torch.Tensor | None = None,
        task_weights: tuple[float, float, float] = (1.0, 1.0, 0.5),
    ) -> HeadOutput:
        pooled = self.dropout(self.pooled(input_ids, attention_mask))
        out = HeadOutput(self.topic_head(pooled), self.grade_head(pooled), self.sentiment_head(pooled))
        if topics is not None and primary is not None and grade is not None and sentiment is not None:
            out.loss = multitask_loss(out, topics, primary, grade, sentiment, task_weights)
        return out


def multitask_loss(
    out: HeadOutput,
    topics: torch.Tensor,
    primary: torch.Tensor,
    grade: torch.Tensor,
    sentiment: torch.Tensor,
    weights: tuple[float, float, float],
) -> torch.Tensor:
    """Topic BCE (+ softmax CE on the primary topic so the primary outranks the others),
    grade CE, sentiment CE; a label of -100 (an unlabelled sentiment) is skipped."""
    w_topic, w_grade, w_sentiment = weights
    bce = nn.functional.binary_cross_entropy_with_logits(out.topic_logits, topics)
    first = nn.functional.cross_entropy(out.topic_logits, primary)
    loss = w_topic * (bce * 4.0 + first) + w_grade * nn.functional.cross_entropy(out.grade_logits, grade)
    if bool((sentiment >= 0).any()):
        loss = loss + w_sentiment * nn.functional.cross_entropy(
            out.sentiment_logits, sentiment, ignore_index=-100
        )
    return loss
