"""The barista: takes customers' orders across turns, confirms before placing, answers status and cancels."""
