"""What the scanner finds in words: a mention of an item with what is said of it, and the words that end one."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Mention:
    item_id: str | None = None
    quantity: int | None = None
    size: str | None = None
    milk: str | None = None
    extras: list[str] = field(default_factory=list)
    temperature: str | None = None
    choices: tuple[str, ...] = ()
    """Items a word could mean when it names several ("a tea", "the cookie"): the customer is asked which."""
    without: list[str] = field(default_factory=list)
    """Extras taken off ("a normal flat white, not decaf")."""
    part_of_group: bool = False
    """Some units of the item before ("two lattes, one with oat"), split off with their own attributes."""

    def has_attributes(self) -> bool:
        return any([self.quantity, self.size, self.milk, self.extras, self.temperature, self.without])


SEPARATORS = {"and", ",", "plus", "&", "also", "then", "another"}
