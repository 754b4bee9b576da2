"""Ordering families the helper-written conversations showed (tests/graph/data): each case is a short
conversation and what the cart (or the placed order) must say after its last turn, through the real graph."""

from __future__ import annotations

import pytest

from graph.app import Conversations
from tools.principal import Principal, Role

pytestmark = pytest.mark.anyio

CASES = [
    # a typo one keystroke off, beside an exact word
    (["3 lattes, 2 with oar milk and 1 normal"], ["2 × medium Latte (oat milk)", "1 × medium Latte (whole milk)"], []),
    (["a large soy latte"], ["1 × large Latte (soy milk)"], ["Chai"]),  # a word that means something is no slip
    # a swap said the other way round, with or without a comma
    (["a blueberry muffin and a medium latte", "instead of the muffin, a croissant"], ["1 × Croissant"], ["Muffin"]),
    (["a blueberry muffin and a latte", "hmm, and instead of the latte a cappuccino"], ["Cappuccino"], ["Latte"]),
    # a swap keeps the size of what it replaces
    (["a large iced latte", "maybe the iced mocha instead"], ["1 × large Iced Mocha"], ["Iced Latte"]),
    (["a medium mocha with whipped cream", "swap the mocha for a small hot chocolate, keep the cream"],
     ["1 × small Hot Chocolate (whole milk, whipped cream)"], ["Mocha"]),
    # a typo in a longer name is that name, not a shorter one beside an extra
    (["how much is a vanilla cream cols brew", "ok a large one pls"], ["1 × large Vanilla Cream Cold Brew"], []),
    # a yes said among other words
    (["a latte", "ta, send it"], ["Placed!"], []),
    (["a latte", "that's the full order, go ahead"], ["Placed!"], []),
    # a count after a no
    (["three iced mochas", "make that two", "no, three after all"], ["3 × medium Iced Mocha"], []),
    # amounts of money are not counts
    (["a large drip coffee and an egg and cheese sandwich, does that come to under ten?"],
     ["1 × Egg and Cheese Sandwich"], []),
    (["one cappuccino please", "plus a banana bread, is that 3.75?"], ["1 × Banana Bread"], []),
    # a request beside a question in one turn
    (["can I get a small americano and a small drip coffee, both with an extra shot? how much does the shot add"],
     ["small Americano (extra shot)", "small Drip Coffee (extra shot)"], []),
    # one more like the last, changed
    (["Chai latte for Leo", "Ana wants the same but iced"], ["1 × medium Iced Chai Latte"], []),
    (["a small hot chocolate", "her brother wants one too but large"], ["1 × large Hot Chocolate"], []),
    # "not" before the one item said takes it off
    (["a latte and a blueberry muffin", "not the latte"], ["Blueberry Muffin"], ["Latte"]),
    # giving up leaves the cart as it is; with a change beside it, it leads into the change
    (["a medium almond milk latte", "Actually, never mind, I'll skip it today"], ["haven't placed"], []),
    (["a latte", "changed my mind, make it a large"], ["1 × large Latte"], []),
    # small talk first: the "didn't catch that" holds no answer, the order after it reaches the barista
    (["ugh traffic is insane this morning lol", "4 iced lattes for the team pls"], ["4 × medium Iced Latte"], []),
    # a question is never a yes, even with "that is it" across its sentences; it is answered about the cart's item
    (["an espresso", "how big is that? is it a single or a double?"], ["Espresso comes in small"], ["Placed!"]),
    (["large cold brew please", "how big is the large exactly?"], ["Cold Brew comes in small"], ["Placed!"]),
    # a removal word takes off only what its own sentence names
    (["a medium mocha", "Could you make it with soy milk, please? My doctor has me off dairy, you see."],
     ["1 × medium Mocha (soy milk)"], ["empty"]),
    # "no X, Y instead": a swap
    (["one hot chocolate medium", "sorry, no hot chocolate, give me please mocha instead, same size"],
     ["1 × medium Mocha"], ["Hot Chocolate"]),
    # a change among words we do not know is still the change; an unknown word right after a modifier is an item
    (["large cold brew please", "oh that's more than I need, go with medium"], ["1 × medium Cold Brew"], []),
    (["a latte", "a caramel frappuccino"], ["frappuccino"], ["caramel"]),
    # "one more shot" is an extra, not one more of the line; "the same drink" is the last drink, not the bagel
    (["a small espresso", "you can put in it one more shot?"], ["1 × small Espresso (extra shot)"], ["2 ×"]),
    (["an everything bagel and a flat white", "and the same drink for my friend, but with almond milk"],
     ["1 × medium Flat White (almond milk)"], ["not made with milk"]),
    # giving up for another time leaves the cart unplaced; "later" beside a yes is still a yes
    (["a latte and a banana bread", "ah nah scrap that, running late, another time, cheers"], ["haven't placed"],
     []),
    (["a latte", "yes place it, I'll pick it up later"], ["Placed!"], []),
    # what we do not make beside what we do: the rest goes in, and the reply says what was left out
    (["a pumpkin spice latte and a croissant"], ["\"pumpkin spice latte\", so I left it out", "1 × Croissant"],
     ["Latte —"]),
    # "make it a …" with an item: the cart's line becomes it (as many as there were); "a regular latte" is a latte
    (["a latte", "make it a cappuccino"], ["1 × medium Cappuccino"], ["Latte"]),
    (["2 lattes", "make them cappuccinos"], ["2 × medium Cappuccino"], ["Latte"]),
    (["a vanilla latte with skim", "no syrup, just make it a regular latte, still skim"], ["1 × medium Latte (skim"],
     ["Vanilla"]),
    # what the cart's item could be made is asked for
    (["a small caramel macchiato", "can the caramel macchiato be made with oat milk?"],
     ["1 × small Caramel Macchiato (oat milk)"], []),
    # a removal beside "just the …": what is named after it stays
    (["avocado toast and a medium latte please", "actually take off the latte, just the toast"],
     ["1 × Avocado Toast"], ["Latte", "empty"]),
    # one person's drink each: "his with oat, mine with skim"
    (["two large lattes - my husband takes his with oat, and mine with skim"],
     ["1 × large Latte (oat milk)", "1 × large Latte (skim milk)"], ["2 ×"]),
    # "+" joins items; a possessive before a cart item points at that line ("Kim's cappuccino", "her mocha")
    (["egg n cheese sandwhich + med capuccino"], ["1 × Egg and Cheese Sandwich", "1 × medium Cappuccino"], []),
    (["Kim a cappuccino, Sofia a mocha", "oh, Kim's cappuccino with skim", "and whipped cream on her mocha"],
     ["1 × medium Cappuccino (skim milk)", "1 × medium Mocha (whole milk, whipped cream)"], ["whole milk) — $4.25"]),
    # a size word before something we do not sell is not a size; praise after placing orders nothing
    (["two cappuccinos and a croissant at the big table by the window"], ["2 × medium Cappuccino"], ["large"]),
    (["a small latte", "yes please", "thanks, your croissants are the best around"], [], ["Croissant"]),
    # a change, then an addition in one sentence
    (["3 blueberry muffins please", "make that 2, and add a chocolate croissant"],
     ["2 × Blueberry Muffin", "1 × Chocolate Croissant"], ["3 ×"]),
    # the cart said back with a yes places it; said back with a difference is not a yes
    (["large London Fog, oat milk", "actually medium",
      "medium London Fog with oat, that's exactly right, yes place it please, thanks"], ["Placed!", "1 × medium London"],
     ["2 ×"]),
    (["a latte", "a large latte, place it"], ["1 × large Latte"], ["Placed!"]),
    # chatter, then a yes in the last sentence
    (["a medium mocha", "treat yourself right? 😂 yes that's perfect"], ["Placed!"], []),
    # people named together before what they want are a count of it
    (["six of us today: Gina, Hal and Ivy americanos, Jack and Kate lattes, Leo a green tea"],
     ["3 × medium Americano", "2 × medium Latte", "1 × medium Green Tea"], ["ivy"]),
    (["My husband and I would each like a large latte, his with oat milk and mine just as it comes"],
     ["1 × large Latte (whole milk)", "1 × large Latte (oat milk)"], []),
    (["Latte and Mocha please"], ["1 × medium Latte", "1 × medium Mocha"], ["2 ×"]),
    # the attribute after "instead of" is the one that goes
    (["large matcha latte with oat", "the matcha with almond instead of oat"], ["Matcha Latte (almond milk)"], ["oat"]),
    (["a latte with caramel", "vanilla instead of caramel"], ["Latte (whole milk, vanilla syrup)"], ["caramel"]),
    # "the coffee" is the cart's one coffee drink; "the tea" beside another change is the cart's tea
    (["a medium latte with almond milk", "a chamomile tea", "make the coffee iced"], ["Iced Latte (almond milk)"],
     ["Drip"]),
    (["one peppermint tea and two americanos", "the americanos large, the tea small"],
     ["1 × small Peppermint Tea", "2 × large Americano"], ["Which one"]),
    # items weighed in a question are not ordered; a question about an item beside an order for another is not one
    (["caramel macchiato or a latte with caramel syrup, what's the difference?"], ["Caramel Macchiato:", "Latte:"],
     ["Your order"]),
    (["a large chamomile then. and is the babyccino ok for a two-year-old?"], ["1 × large Chamomile Tea"],
     ["Babyccino"]),
    # someone named with one item earlier stands for it: "Priya's", "his", "hers"
    (["a latte for Ben, a cappuccino for Ollie and a peppermint tea for Kim",
      "Ollie just texted, he's out at a client, drop his"], ["1 × medium Latte", "1 × medium Peppermint Tea"],
     ["Cappuccino", "We don't have"]),
    (["Sam wants a mocha, Priya an americano, all medium", "Priya's just gone home, take hers off"],
     ["1 × medium Mocha"], ["Americano"]),
    (["Chai latte for Leo", "Ana wants the same but iced", "and Leo says can his have soy"],
     ["1 × medium Chai Latte (soy milk)", "1 × medium Iced Chai Latte (whole milk)"], []),
    (["Ana and Raj want medium lattes, and a cortado for me", "Raj just messaged, he wants oat milk in his latte"],
     ["1 × medium Latte (whole milk)", "1 × medium Latte (oat milk)", "1 × small Cortado"], []),
    # "that X" is the cart's X; the iced one of the same drink keeps how it was made
    (["a drip coffee and a bagel please", "make that coffee a large"], ["1 × large Drip Coffee"], ["medium"]),
    (["a medium mocha with cream on the top", "can I have the iced mocha instead of this?"],
     ["1 × medium Iced Mocha (whole milk, whipped cream)"], []),
    # the one line that can take an extra gets it; what stays beside a removal is kept
    (["one iced latte and one bagel everything", "also one syrup of caramel inside it"],
     ["1 × medium Iced Latte (whole milk, caramel syrup)", "1 × Everything Bagel"], ["Which one"]),
    (["small americano, a blueberry muffin and a banana bread", "skip the muffin, the banana bread is enough"],
     ["1 × Banana Bread"], ["Muffin"]),
    # new counts for several lines; a corrected count is the line's count, not one more line
    (["Four medium drip coffees and three croissants", "so six drip coffees and five croissants"],
     ["6 × medium Drip Coffee", "5 × Croissant"], []),
    (["one medium flat white and one medium cappuccino", "no, two flat whites, and no cappuccino"],
     ["2 × medium Flat White"], ["Cappuccino", "1 ×"]),
    (["three of the cookies with chocolate chips and a large drip", "not three cookies, only two is enough"],
     ["2 × Chocolate Chip Cookie", "1 × large Drip Coffee"], ["3 ×"]),
    # "the same, but …" with a comma is one more like it
    (["a small mocha", "Isla says she'd like the same, but could hers have whipped cream on top?"],
     ["1 × small Mocha (whole milk) —", "1 × small Mocha (whole milk, whipped cream)"], ["We don't have"]),
    (["a medium cappuccino for me, and for Jo, same but decaf"],
     ["1 × medium Cappuccino (whole milk) —", "1 × medium Cappuccino (whole milk, decaf)"], []),
    # someone who shares a line changes one unit of it; a new item instead of theirs takes one unit's place
    (["six of us: Gina, Hal and Ivy americanos, Jack and Kate lattes",
      "Kate's switching to an americano instead of her latte"],
     ["1 × medium Latte", "3 × medium Americano", "1 × medium Americano"], ["2 × medium Latte"]),
    # what was asked about in the last questions goes in with "add it" / "add both" (never a yes to place)
    (["what's the price on the avocado toast?", "and a medium iced matcha latte?", "ok add both"],
     ["1 × Avocado Toast", "1 × medium Iced Matcha Latte"], ["Placed!"]),
    (["medium chai latte please. how much is an extra shot?", "90 cents, ok add it. what's my total then?"],
     ["1 × medium Chai Latte (whole milk, extra shot)"], []),
    # a request put as a question stays beside another ("Might I have …? And could the mocha be a large?"); "her
    # brother" is no one's drink
    (["Might I have a mocha and an egg and cheese sandwich? And could the mocha be a large, with soy milk?"],
     ["1 × Egg and Cheese Sandwich", "1 × large Mocha (soy milk)"], []),
    (["Hot chocolate for Mia, a babyccino for Leo, and an americano for me",
      "Swap Mia's hot chocolate for a babyccino too, she wants to match her brother"],
     ["1 × medium Americano"], ["Hot Chocolate"]),
    # a word that ends a modifier before a word we do not know names nothing ("cream on the top" is no "the")
    (["A flat white like in Melbourne please", "oh and a small one, the cups here are massive"],
     ["1 × small Flat White"], ["We don't have", "medium"]),
    # the cart's line said back as a choice made is not one more
    (["is it possible to get the cortado with oat milk?", "ok, I think I'll have that then, one cortado with oat"],
     ["1 × small Cortado (oat milk)"], ["2 ×", "Cortado (oat milk) — $4.45; 1 ×"]),
    # an item's units said again when they are already two lines; "other one" without "the"
    (["four small lattes, two with vanilla syrup", "sorry, just one with vanilla syrup, and the other three with soy"],
     ["1 × small Latte (whole milk, vanilla syrup)", "3 × small Latte (soy milk)"], ["Which one"]),
    (["2 mochas, one with skim", "other one oat"], ["1 × medium Mocha (skim milk)", "1 × medium Mocha (oat milk)"],
     ["Which one"]),
    # the description just given, said back, orders nothing; the item described is still the one ordered
    (["what's a mocha?", "mmm, espresso and chocolate, love it. a large one please"], ["1 × large Mocha"],
     ["Espresso", "Hot Chocolate"]),
    # the price question again, of another size or item
    (["how much is a small latte?", "and the large?"], ["Latte: $"], ["Your order"]),
    (["how much is a croissant?", "and a large cold brew?"], ["Cold Brew: $"], ["Your order"]),
    # a name inside a sentence, or opening one before what the person does, is someone, not a typo of an item
    (["four drip coffees for the team", "actually Dana and Chris already got coffee, so just two"],
     ["2 × medium Drip Coffee"], ["Chai"]),
    (["a cappuccino for Chris", "Chris wants it with oat"], ["1 × medium Cappuccino (oat milk)"], ["Chai"]),
    # "the third", "the last one" after some units split off: the one unit left
    (["four small mochas, three of them with whipped cream and the last one with oat"],
     ["3 × small Mocha (whole milk, whipped cream)", "1 × small Mocha (oat milk)"], ["4 ×"]),
    # "the regular ones": the lines as they come
    (["six medium lattes", "make two of those decaf", "and one of the normal ones with vanilla syrup"],
     ["3 × medium Latte (whole milk)", "1 × medium Latte (whole milk, vanilla syrup)"], []),
    # a question beside another question orders nothing
    (["a medium latte", "is the mocha strong? stronger than an americano?"], ["Americano: "], ["Americano —"]),
    # drinks in general before a colon are a heading; with a size, a group the items spell out
    (["Coffee for the office: three americanos and a cortado"], ["3 × medium Americano", "1 × small Cortado"],
     ["Drip"]),
    (["two small coffees: a cappuccino and a flat white"], ["1 × small Cappuccino", "1 × small Flat White"], ["Drip"]),
    # a price said back orders nothing, even of the item asked about; "forget it" gives up
    (["how much is the egg and cheese sandwich?", "5.75 for a sandwich, hmm. just a small drip then"],
     ["1 × small Drip Coffee"], ["Sandwich —"]),
    (["a cold brew", "forget it, I'll get one at the station"], ["haven't placed"], []),
    # "the macchiato" with caramel macchiatos in the cart is theirs; "hers" is one of two
    (["two large caramel macchiatos", "actually make hers a latte instead of the macchiato"],
     ["1 × large Caramel Macchiato", "1 × large Latte"], ["Macchiato (whole milk) — $3"]),
    # a change, then a sentence of its own that places the order: placed with the change in; not for "don't"
    (["a small flat white", "Plus a banana bread. That's everything, go ahead and place it."],
     ["Placed!", "1 × Banana Bread"], []),
    (["a small flat white", "plus a banana bread. don't place it yet though"], ["1 × Banana Bread"], ["Placed!"]),
    # "add a cookie" with a latte in the cart: which cookie, not a change to the latte
    (["a latte", "add a cookie"], ["Chocolate Chip Cookie or Vegan Oat Cookie"], []),
    # "one for me and one for Priya": Priya's is one of the line's units
    (["three flat whites, one for me, one for Sam and one for Joe", "put an extra shot in Joe's"],
     ["2 × medium Flat White (whole milk)", "1 × medium Flat White (whole milk, extra shot)"], []),
    # giving up with a new count beside it is the new count
    (["4 small mochas", "never mind, make it 3"], ["3 × small Mocha"], ["haven't placed"]),
    # a removal and a change to another line in one sentence: both ("make … large" does not swap the mocha away)
    (["a small mocha with soy and an everything bagel", "that's a lot. remove the bagel and do the mocha with skim"],
     ["1 × small Mocha (skim milk)"], ["Bagel", "Which"]),
    (["a mocha and a blueberry muffin", "make the mocha large and take off the muffin"], ["1 × large Mocha"],
     ["Muffin"]),
    # "keep the shots" after a price: the cart as it is, and the next yes places it
    (["two small americanos with an extra shot", "80c each? hmm fine, keep the shots", "yes order it"], ["Placed!"],
     []),
    # "just the X": only X stays; after a change said alone, that change is for X
    (["a flat white and a croissant", "just the flat white"], ["1 × medium Flat White"], ["Croissant", "2 ×"]),
    (["a cappuccino and a chai latte", "with oat milk", "only the chai latte"],
     ["1 × medium Chai Latte (oat milk)", "1 × medium Cappuccino (whole milk)"], ["2 ×"]),
    # "one of those" after a question in the same turn: the item asked about, in the size asked about
    (["what is the green tea like?", "is a small green tea under three dollars? great, I'll take one of those"],
     ["1 × small Green Tea"], ["medium"]),
]


@pytest.mark.parametrize("turns, said, not_said", CASES, ids=[c[0][-1][:40] for c in CASES])
async def test_the_cart_after_the_conversation(chat: Conversations, turns: list[str], said: list[str],
                                               not_said: list[str]) -> None:
    who = Principal(role=Role.CUSTOMER, id="families", location_id="downtown")
    for turn in turns:
        reply = await chat.send(who, turn)
    for words in said:
        assert words in reply.text, reply.text
    for words in not_said:
        assert words not in reply.text, reply.text
