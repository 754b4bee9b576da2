"""The barista: takes customers' orders across turns, confirms before placing, answers status and cancels; the
customer's wallet, COFFEE and DAO votes, each transfer, redeem or vote after an explicit yes."""
