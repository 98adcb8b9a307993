//! What BSA measures, how to cite it, the data licence and what stays in the browser.

use crate::app::Route;
use yew::prelude::*;

/// The BibTeX entry of the paper.
pub const BIBTEX: &str = "@article{zheng2025beyond,
  title   = {Beyond Safe Answers: A Benchmark for Evaluating True Risk Awareness in Large Reasoning Models},
  author  = {Zheng, Baihui and Zheng, Boren and Cao, Kerui and Tan, Yingshui and Liu, Zhendong and
             Wang, Weixun and Liu, Jiaheng and Yang, Jian and Su, Wenbo and Zhu, Xiaoyong and
             Zheng, Bo and Zhang, Kaifu},
  journal = {arXiv preprint arXiv:2505.19690},
  year    = {2025},
  url     = {https://arxiv.org/abs/2505.19690}
}";

pub fn about_page() -> Html {
    html! {
        <article class="prose">
            <h1>{ "About BSA Studio" }</h1>
            <p class="lead">
                { "BSA Studio runs and scores the Beyond Safe Answers (BSA) benchmark in your browser: load the dataset, \
                   query a reasoning model with your own API key, let a judge model grade the outputs, and read the metrics." }
            </p>

            <h2>{ "What BSA measures" }</h2>
            <p>
                { "A reasoning model can refuse a harmful request, or answer a tricky one safely, without ever noticing \
                   what made it risky. Its final answer looks fine, but the reasoning that led there missed the point. \
                   The authors call this superficial safety alignment. BSA checks the reasoning as well as the answer: \
                   every one of its 2,000 items comes with an annotated risk rationale, and a judge decides whether the \
                   model's reasoning actually identified those risks." }
            </p>
            <p>{ "The items fall into three scenarios:" }</p>
            <dl class="definitions">
                <dt>{ "Risk Omission" }</dt>
                <dd>{ "A request with one risk that is easy to overlook; the reasoning has to spot it." }</dd>
                <dt>{ "Cognitive Shortcut" }</dt>
                <dd>{ "A request mixing two risks (Query A and Query B); noticing the obvious one and stopping there is not enough." }</dd>
                <dt>{ "Over Sensitivity" }</dt>
                <dd>{ "A request with a risky part and a harmless part; the reasoning must name the risk without treating the harmless part as dangerous." }</dd>
            </dl>
            <p>{ "Every annotated risk belongs to one of 9 primary categories (and 17 secondary ones), from offensive content and rumours to regulated items and privacy." }</p>

            <h2>{ "The metrics" }</h2>
            <p>{ "The model answers every query k times (k = 5 in the paper). Then:" }</p>
            <dl class="definitions">
                <dt>{ "Safe@1" }</dt>
                <dd>{ "the share of answers judged safe, averaged over queries." }</dd>
                <dt>{ "Safe@k" }</dt>
                <dd>{ "the share of queries whose k answers were all safe." }</dd>
                <dt>{ "Think@1" }</dt>
                <dd>{ "the share of reasoning traces that named the annotated risks, averaged over queries (also per scenario)." }</dd>
                <dt>{ "Think@k" }</dt>
                <dd>{ "the share of queries whose k reasoning traces all named them." }</dd>
                <dt>{ "F-score" }</dt>
                <dd>{ "a weighted geometric mean of Think@1 and Safe@1 (see the " }<a href={Route::Leaderboard.href()}>{ "leaderboard" }</a>{ " for the weight)." }</dd>
            </dl>
            <p>
                { "The headline finding: models score far higher on Safe@1 than on Think@1. Most of the safe answers in \
                   the paper came with reasoning that missed at least part of the risk, and even the best model tested \
                   identified the risks in little more than half of its reasoning traces. A safe answer is not evidence \
                   of understanding." }
            </p>

            <h2>{ "How to cite" }</h2>
            <p>
                { "Beyond Safe Answers: A Benchmark for Evaluating True Risk Awareness in Large Reasoning Models, \
                   arXiv:2505.19690 (2025). " }
                <a href="https://arxiv.org/abs/2505.19690" rel="noopener noreferrer" target="_blank">{ "arxiv.org/abs/2505.19690" }</a>
            </p>
            <label for="bibtex">{ "BibTeX" }</label>
            <textarea id="bibtex" class="bibtex" readonly=true rows="9" value={BIBTEX} />

            <h2>{ "Data licence" }</h2>
            <p>
                { "The BSA dataset and prompts are published by their authors at " }
                <a href="https://github.com/OpenStellarTeam/BSA" rel="noopener noreferrer" target="_blank">{ "OpenStellarTeam/BSA" }</a>
                { " under the Creative Commons Attribution-NonCommercial 4.0 licence (CC BY-NC 4.0): credit the authors \
                   when you use or share it, and do not use it commercially. BSA Studio does not ship the dataset; your \
                   browser downloads it from the authors' repository when you ask. The sample built into the app is made \
                   up and is not part of the benchmark." }
            </p>

            <h2>{ "Privacy" }</h2>
            <p>
                <strong>{ "Nothing leaves your browser except the API calls you start." }</strong>
                { " BSA Studio has no server: datasets, keys, answers and scores stay in this page (and in your browser's \
                   storage if you save them). The only requests it makes are the downloads and model API calls you ask for, \
                   sent directly from your browser to the address you chose." }
            </p>
        </article>
    }
}
