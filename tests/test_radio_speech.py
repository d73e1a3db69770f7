"""normalize: written paper text to words a speech engine reads aloud, never as symbols."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from paperradio.radio.speech import normalize, spell, zh_integer
from paperradio.write.clean import plain_text
from tests.samples import ABSTRACTS, sample_issue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # LaTeX math
        ("$O(n^2)$", "O of n squared"),
        (r"with $O(n \log n)$ cost", "with O of n log n cost"),
        (r"rate $O(1/\sqrt{T})$", "rate O of 1 over square root of T"),
        (r"a $3 \times 3$ kernel", "a 3 times 3 kernel"),
        (r"finite $\alpha$-th moment", "finite alpha-th moment"),
        (r"for $\alpha \in (1, 2]$", "for alpha in 1, 2"),
        (r"$\frac{1}{2}$ of it", "1 over 2 of it"),
        (r"$x_i^2$", "x sub i squared"),
        (r"$\mathbb{R}^d$", "R to the power d"),
        (r"$\mathcal{L}_{\text{DiT}}$ loss", "L sub D I T loss"),
        (r"$\ell_2$ norm", "ell sub 2 norm"),
        (r"$\beta = 0.9$", "beta equals 0.9"),
        (r"$k \leq n$", "k less than or equal to n"),
        (r"an \textbf{important} \ours{} result", "an important result"),
        ("plain O(n^2) scaling", "plain O of n squared scaling"),
        # numbers and units
        ("7.4%", "7.4 percent"),
        (r"by 7.4\% over", "by 7.4 percent over"),
        ("38 % less", "38 percent less"),
        ("1.8x faster", "1.8 times faster"),
        ("3\u00d7 faster", "3 times faster"),
        ("a 2x2 grid", "a 2 by 2 grid"),
        ("10M clips and 7B tokens", "10 million clips and 7 billion tokens"),
        ("a 2B-parameter model", "a 2 billion-parameter model"),
        ("100k steps", "100 thousand steps"),
        ("3\u20135 layers", "3 to 5 layers"),
        ("\u22125 dB", "minus 5 decibels"),
        ("a 20:1 ratio", "a 20 to 1 ratio"),
        ("~5% gain", "about 5 percent gain"),
        ("for Claude (\u22488%) and Qwen (\u22486%).", "for Claude, about 8 percent, and Qwen, about 6 percent."),
        ("a 1.87* speedup, +10.8 points", "a 1.87 times speedup, plus 10.8 points"),
        ("Qwen3-8B", "Qwen 3 8 billion"),
        ("1,654 papers, 3 weeks", "1,654 papers, 3 weeks"),
        ("from 2015 to 2024, and in 2005", "from twenty fifteen to twenty twenty-four, and in two thousand five"),
        ("week 16 of 2026: a set of 2000 images", "week 16 of twenty twenty-six: a set of 2000 images"),
        ("counting is #P-complete", "counting is sharp P-complete"),
        ("44 ms, 1 s and 2.5 h on 8 GB", "44 milliseconds, 1 second and 2.5 hours on 8 gigabytes"),
        ("in the 1990s", "in the 1990s"),
        # URLs, citations, HTML
        ("Code is available at https://github.com/example/sparseroute.", "Code is available online."),
        ("see www.example.org for details", "see for details"),
        ("as shown [12] and [3, 4] and [5-7].", "as shown and and."),
        ("prior work [Smith et al., 2020] shows", "prior work shows"),
        ("<b>Diffusion</b> Transformers", "Diffusion Transformers"),
        ("this &amp; that", "this and that"),
        ("mail me@example.org now", "mail now"),
        # abbreviations
        ("e.g., this", "for example, this"),
        ("i.e. that", "that is that"),
        ("Smith et al. found", "Smith and colleagues found"),
        ("ours vs. theirs", "ours versus theirs"),
        # acronyms and words
        ("LLM", "L L M"),
        ("LLMs", "L L M's"),
        ("GPT", "G P T"),
        ("GPT-2 pre-training", "G P T 2 pre-training"),
        ("a CNN", "a C N N"),
        ("An API", "An eh P I"),
        ("ImageNet", "Image Net"),
        ("NASA data", "NASA data"),
        ("BLEU and COCO", "BLEU and COCO"),
        ("UCF-101", "U C F 101"),
        ("SparseRoute on LongBench", "Sparse Route on Long Bench"),
        ("ReAct", "Re Act"),
        ("ResNet50", "Res Net 50"),
        ("ChatGPT", "Chat G P T"),
        ("arXiv", "archive"),
        ("AI safety", "AI safety"),
        ("RAG and LoRA", "rag and Lora"),
        ("Yann LeCun", "Yann Le Cun"),
        # odd Unicode
        ("\u201cquoted\u201d \u2014 text", "quoted, text"),
        ("\u00fcn\u00efc\u00f6d\u00e9 caf\u00e9", "unicode cafe"),
        ("Emoji \U0001f600 here", "Emoji here"),
        ("CJK \u89c6\u9891 inside", "C J K inside"),
        ("alpha \u03b1 and \u2248 2", "alpha alpha and approximately 2"),
        ("x \u2264 y \u2192 z", "x less than or equal to y to z"),
        ("zero\u200bwidth\u00a0space", "zerowidth space"),
        ("line\nbreak\tand\x00null", "line break and null"),
        ("", ""),
        ("$$", ""),
    ],
)
def test_normalize_english(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# Real snippets quoted from titles and abstracts of the shared corpus (arXiv id, snippet, spoken form).
# test_real_cases_are_quoted_from_the_corpus checks each one against the corpus when it is present.
REAL_CASES: list[tuple[str, str, str]] = [
    ("2602.06412", 'cost from $O(N^2d)$ to $O(MNd)$ where $N$ is the sequence length',
     'cost from O of N squared d to O of M N d where N is the sequence length'),
    ("2512.22629", r"$O(N^2)$ to $O(N \log N)$, achieving a 42.9% reduction",
     'O of N squared to O of N log N, achieving a 42.9 percent reduction'),
    ("2601.09566", r"with resolutions as low as $8 \times 8$ pixels",
     'with resolutions as low as 8 times 8 pixels'),
    ("2508.00553", r"latency by up to 9$\times$, showcasing strong generalization",
     'latency by up to 9 times, showcasing strong generalization'),
    ("2603.21698", 'predicting drag coefficient $C_d$ under industrial constraints',
     'predicting drag coefficient C sub d under industrial constraints'),
    ("2503.22537", 'representations at times $t_0$ and $t_1$, LIM produces',
     'representations at times t sub 0 and t sub 1, L I M produces'),
    ("2512.16771", 'gains of up to +3.6% AP and +4.2% AP$_{rare}$ over DiffusionDet',
     'gains of up to plus 3.6 percent eh P and plus 4.2 percent eh P sub rare over Diffusion Det'),
    ("2508.19481", 'comparing Qwen2.5-0.5B-Instruct with other models',
     'comparing Qwen 2.5 0.5 billion Instruct with other models'),
    ("2602.06412", 'On LLaDA-8B, SureLock reduces algorithmic FLOPs',
     'On Llada 8 billion, Sure Lock reduces algorithmic flops'),
    ("2503.15661", 'models like UI-TARS-72B, including issues',
     'models like U I Tars 72 billion, including issues'),
    ("2509.02333", 'on the Qwen2.5-Math-7B model',
     'on the Qwen 2.5 Math 7 billion model'),
    ("2510.09255", 'our DSPO-trained 7B model improves over',
     'our D S P O trained 7 billion model improves over'),
    ("2605.29977", 'an efficient 2B-parameter ECG foundation model',
     'an efficient 2 billion-parameter E C G foundation model'),
    ("2606.09900", '(+10.4 points, McNemar p < 10^-6) at ~8x fewer tokens (9.6k vs. 79k)',
     'plus 10.4 points, Mc Nemar p less than 10 to the power minus 6, at about 8 times fewer tokens, '
     '9.6 thousand versus 79 thousand'),
    ("2604.11609", '$p < 10^{-32}$, Wilcoxon signed-rank',
     'p less than 10 to the power minus 32, Wilcoxon signed-rank'),
    ("2508.01261", 'through 3.6 * 10^7 possible expert combinations',
     'through 3.6 times 10 to the power 7 possible expert combinations'),
    ("2604.26518", r"relative residual errors of $10^{-5}$ with a $160\times$ speedup",
     'relative residual errors of 10 to the power minus 5 with a 160 times speedup'),
    ("2508.06559", 'on average consists of over $10^9$ nodes',
     'on average consists of over 10 to the power 9 nodes'),
    ("2604.08810", '(up to $10^6$ nodes/edges)',
     'up to 10 to the power 6 nodes edges'),
    ("2603.11594", 'achieving a C-index of 73%',
     'achieving a C-index of 73 percent'),
    ("2602.09532", 'reducing relative absolute error by 29.2% on NYU Depth v2, 13.3% on KITTI',
     'reducing relative absolute error by 29.2 percent on N Y U Depth version 2, 13.3 percent on Kitti'),
    ("2509.06839", 'increasing from 95.3% to 99.5%',
     'increasing from 95.3 percent to 99.5 percent'),
    ("2504.02454", 'improvements of +2.28% and +4.37% mIoU on the S3DIS and ScanNet',
     'improvements of plus 2.28 percent and plus 4.37 percent mean I o U on the S3DIS and Scan Net'),
    ("2603.19558", '(typically +1% to +3% on big models)',
     'typically plus 1 percent to plus 3 percent on big models'),
    ("2605.05657", 'misrouting from 30.1% to 8.2%',
     'misrouting from 30.1 percent to 8.2 percent'),
    ("2505.16915", 'achieve merely ~50% accuracy',
     'achieve merely about 50 percent accuracy'),
    ("2604.22294", 'by ~19 and ~32 points on two new benchmarks',
     'by about 19 and about 32 points on two new benchmarks'),
    ("2604.23445", 'surface acknowledgment (~0.91-1.00)',
     'surface acknowledgment, about 0.91 to 1.00'),
    ("2605.26064", 'from 561.04 to 279.01, a ~2.0x improvement',
     'from 561.04 to 279.01, an approximately 2.0 times improvement'),
    ("2505.22154", 'extreme modality imbalances~(decreasing the Missing Rate by 55%)',
     'extreme modality imbalances, decreasing the Missing Rate by 55 percent'),
    ("2503.22197", 'Audio-Visual Generalized Zero-Shot Learning~(AV-GZSL)',
     'Audio-Visual Generalized Zero-Shot Learning, eh V G Z S L'),
    ("2605.28025", 'observed for Claude (~8%) and Qwen (~6%).',
     'observed for Claude, about 8 percent, and Qwen, about 6 percent.'),
    ("2605.02672", 'and 1.50~s MAE for turn-taking',
     'and 1.50 seconds M eh E for turn-taking'),
    ("2605.01831", 'Related data and code are available at https://github.com/nanzhi84/RMGAP.',
     'Related data and code are available online.'),
    ("2509.20715", 'The dataset is available at https://xinyi-hu.github.io/SHOT_DATASET.',
     'The dataset is available online.'),
    ("2505.21545", 'Code and models: https://github.com/chikap421/catlvdm',
     'Code and models online'),
    ("2604.27764", 'source code can be found at: https://github.com/ekramalam/GourNet-Repo.',
     'source code can be found online.'),
    ("2511.21533", 'The dataset is publicly available at: www.kaggle.com/datasets/hasanssl/isharakhobo',
     'The dataset is publicly available online'),
    ("2505.15408", 'is publicly available at https://doi.org/10.14279/depositonce-23850',
     'is publicly available online'),
    ("2503.18973", 'Data provided by Talukder, M. A. (2023) [14], categorized into three classes',
     'Data provided by Talukder, M. A. categorized into three classes'),
    ("2503.18035", 'prior knowledge from CLIP [1] and aligns text',
     'prior knowledge from CLIP and aligns text'),
    ("2605.25420", 'Llama-3.1-8B (0.90; 95% bootstrap CI [0.85, 0.96])',
     'Llama 3.1 8 billion, 0.90; 95 percent bootstrap C I, 0.85, 0.96'),
    ("2604.08923", 'VA scores in the [1, 9] range',
     'V eh scores in the 1 to 9 range'),
    ("2604.17937", 'outperforms GEPA (Agrawal et al., 2026) on all four',
     'outperforms Gepa on all four'),
    ("2509.06535", 'fairness of CLIP (Radford et al., 2021) by minimizing',
     'fairness of CLIP by minimizing'),
    ("2505.20789", r"recent work DMPlug~\cite{wang2024dmplug}, we propose",
     'recent work D M Plug, we propose'),
    ("2606.14762", r"has increased \cite{1}. Although many",
     'has increased. Although many'),
    ("2605.07201", 'placing 4th out of 35 participating teams',
     'placing 4th out of 35 participating teams'),
    ("2601.15508", 'on major 19th-century British realist novels',
     'on major 19th-century British realist novels'),
    ("2605.27451", 'at the 10th ABAW Workshop & Competition',
     'at the 10th Abaw Workshop and Competition'),
    ("2511.16555", 'ranking 1st across four widely used',
     'ranking 1st across four widely used'),
    ("2605.20543", 'and 95th percentile Hausdorff distance',
     'and 95th percentile Hausdorff distance'),
    ("2604.04347", 'under a fixed budget of 1,500 evaluations',
     'under a fixed budget of 1,500 evaluations'),
    ("2506.09381", 'balanced dataset of 57,544,214 worldwide news website links',
     'balanced dataset of 57,544,214 worldwide news website links'),
    ("2603.09884", 'In two survey experiments (N=19,145) across bipartisan issues',
     'In two survey experiments, N equals 19,145, across bipartisan issues'),
    ("2510.26297", 'contains $3,907$ finely tuned satellite assets',
     'contains 3,907 finely tuned satellite assets'),
    ("2505.05591", 'we accelerate runtime by 8x, while decreasing',
     'we accelerate runtime by 8 times, while decreasing'),
    ("2510.18866", 'reducing token usage by up to 117x, API calls by up to 159x',
     'reducing token usage by up to 117 times, eh P I calls by up to 159 times'),
    ("2606.31808", 'we demonstrate a 390x reduction in overall costs and 3.8x',
     'we demonstrate a 390 times reduction in overall costs and 3.8 times'),
    ("2510.26339", 'and CUTE80 at x4, and x8, GLYPH-SR improves OCR F1',
     'and Cute 80 at times 4, and times 8, G L Y P H S R improves O C R F1'),
    ("2606.07978", 'LN scaling (x1.2) yields +11.8% MC1',
     'L N scaling, times 1.2, yields plus 11.8 percent M C 1'),
    ("2511.02086", 'target trials (feet x2, ear x3, leg x2)',
     'target trials, feet times 2, ear times 3, leg times 2'),
    ("2602.11959", 'classic result of Bulow and Klemperer (1996) shows that',
     'classic result of Bulow and Klemperer shows that'),
    ("2603.27486", 'reduced on average 30% in 2020 compared with the previous year 2019.',
     'reduced on average 30 percent in twenty twenty compared with the previous year twenty nineteen.'),
    ("2510.13744", 'performance in the IMO 2025 competition',
     'performance in the I M O twenty twenty-five competition'),
    ("2601.08176", 'We compare a GPT-3.5 baseline',
     'We compare a G P T 3.5 baseline'),
    ("2504.17025", r"We adapt two LLMs: Mistral-7b-v0.1, reducing token fertility by 25\%",
     "We adapt two L L M's: Mistral 7 billion version 0.1, reducing token fertility by 25 percent"),
    ("2508.06038", 'by 31.2% compared to LLaVA-v1.5, highlighting',
     'by 31.2 percent compared to Llava version 1.5, highlighting'),
    ("2506.09009", 'UD-KSL Treebank v1.3: A semi-automated framework',
     'U D K S L Treebank version 1.3: A semi-automated framework'),
    ("2604.13432", 'reducing Stable Diffusion v2.1 generation latency by 31%',
     'reducing Stable Diffusion version 2.1 generation latency by 31 percent'),
    ("2604.01432", 'degrades attribution quality by 16-276% compared',
     'degrades attribution quality by 16 to 276 percent compared'),
    ("2602.20303", 'Among U.S. Children Aged 10-17: Comparative Evaluation',
     'Among U.S. Children Aged 10 to 17: Comparative Evaluation'),
    ("2509.04889", 'fear ratings (on a 0-100 scale)',
     'fear ratings, on a 0 to 100 scale'),
    ("2604.07512", 'libraries of 2,355-2,876 novel molecules per target',
     'libraries of 2,355 to 2,876 novel molecules per target'),
    ("2507.17367", r"with only $5-9\%$ of the labeled pixels",
     'with only 5 to 9 percent of the labeled pixels'),
    ("2604.05179", 'adds under 15-20 ms latency on an average on V100 instances',
     'adds under 15 to 20 milliseconds latency on an average on V100 instances'),
    ("2504.10647", 'surpasses the teacher model, GPT-4o, in some cases',
     'surpasses the teacher model, G P T 4o, in some cases'),
    ("2511.04919", 'long (5K-10K tokens) documents with Llama-3.2-3B-Instruct',
     'long, 5 thousand to 10 thousand tokens, documents with Llama 3.2 3 billion Instruct'),
    ("2511.09179", r"such as GPT-4o mini~(63.9\%).",
     'such as G P T 4o mini, 63.9 percent.'),
    ("2606.01202", 'Qwen2.5-7B-Instruct, Llama-3.1-8B-Instruct, and Mistral-7B-Instruct-v0.3',
     'Qwen 2.5 7 billion Instruct, Llama 3.1 8 billion Instruct, and Mistral 7 billion Instruct version 0.3'),
    ("2606.26686", r"reaches an average F1 of 82.90 $\pm$ 0.26 over public benchmarks",
     'reaches an average F1 of 82.90 plus or minus 0.26 over public benchmarks'),
    ("2510.19413", r"Our best system achieved $5\pm1$ BLEU points",
     'Our best system achieved 5 plus or minus 1 BLEU points'),
    ("2605.10339", r"the classifier achieves $81.6 \pm 2.6$\% macro F1",
     'the classifier achieves 81.6 plus or minus 2.6 percent macro F1'),
    ("2509.04519", r"HSMP-BERT achieved mean F1 0.83$\pm$0.08 and $\kappa$ 0.65$\pm$0.17",
     'H S M P bert achieved mean F1 0.83 plus or minus 0.08 and kappa 0.65 plus or minus 0.17'),
    ("2510.08770", 'inference times as low as 44 ms with model sizes under 350 MB',
     'inference times as low as 44 milliseconds with model sizes under 350 megabytes'),
    ("2603.26183", 'an average BD-PSNR gain of 11.03 dB and a 93.95% BD-bitrate reduction',
     'an average B D P S N R gain of 11.03 decibels and a 93.95 percent B D bitrate reduction'),
    ("2606.03250", 'trained on a 13.5GB corpus of scientific publications',
     'trained on a 13.5 gigabytes corpus of scientific publications'),
    ("2506.21632", r"real-time rendering at over 100 FPS, $\sim$6$\times$ the HUGS speed",
     'real-time rendering at over 100 frames per second, approximately 6 times the Hugs speed'),
    ("2510.16396", 'increases only marginally from 9.0 mm to 9.1 mm on FreiHAND',
     'increases only marginally from 9.0 millimetres to 9.1 millimetres on Frei Hand'),
    ("2606.07431", 'from a 200 mAh battery',
     'from a 200 milliamp hours battery'),
    ("2506.05664", 'ranging from 125M to 30B parameters',
     'ranging from 125 million to 30 billion parameters'),
    ("2603.06038", 'consisting of about 70K images annotated',
     'consisting of about 70 thousand images annotated'),
    ("2509.05773", 'PictOBI-20k: Unveiling Large Multimodal Models',
     'Pict O B I 20 K: Unveiling Large Multimodal Models'),
    ("2601.16282", 'using 13.7k source papers to synthesize 2.9k theories',
     'using 13.7 thousand source papers to synthesize 2.9 thousand theories'),
    ("2507.11114", 'integrates Gemini 2.5 Flash for visual description',
     'integrates Gemini 2.5 Flash for visual description'),
    ("2506.10139", 'train a Claude 3.5 Haiku-based assistant',
     'train a Claude 3.5 Haiku-based assistant'),
    ("2504.07986", '(DeepSeek-R1-Distill and QwQ-32B-Preview)',
     'Deep Seek R1 Distill and Q W Q 32 billion Preview'),
    ("2508.10770", 'reinforcement learning to Qwen2.5-VL-7B, resulting in',
     'reinforcement learning to Qwen 2.5 V L 7 billion, resulting in'),
    ("2508.02951", '(GPT4o, Claude 3.5 Sonnet)',
     'G P T 4o, Claude 3.5 Sonnet'),
    ("2508.04078", 'Hyperparameter tuning in 3D Gaussian Splatting (3DGS) is a labor-intensive',
     'Hyperparameter tuning in 3D Gaussian Splatting, 3D G S, is a labor-intensive'),
    ("2508.21816", 'traditional top-1 and top-5 accuracy metrics.',
     'traditional top 1 and top 5 accuracy metrics.'),
    ("2503.18773", 'achieves up to 7.5x speedup on RTX 4090, 4.8x on A100, and 8.9x on H100',
     'achieves up to 7.5 times speedup on R T X 4090, 4.8 times on A100, and 8.9 times on H100'),
    ("2604.21435", '(e.g., a single 24GB RTX 3090)',
     'for example, a single 24 gigabytes R T X 3090'),
    ("2510.04066", 'keeps a few extreme weights in FP16 with negligible cost',
     'keeps a few extreme weights in F P 16 with negligible cost'),
    ("2505.04861", 'under 6-bit and 4-bit mixed-precision settings',
     'under 6 bit and 4 bit mixed-precision settings'),
    ("2603.10477", 'Pearson r about 0.94, p < 0.001).',
     'Pearson r about 0.94, p less than 0.001.'),
    ("2601.09721", 'by +0.66 (p=0.0001, d=0.225)',
     'by plus 0.66, p equals 0.0001, d equals 0.225'),
    ("2603.17219", "(Cohen's $d = 1.32$, $p < 0.001$)",
     "Cohen's d equals 1.32, p less than 0.001"),
    ("2511.14476", 'participants (N = 1,095, 27,375 ratings) who rated',
     'participants, N equals 1,095, 27,375 ratings, who rated'),
    ("2507.02995", r"FreqCross achieves 97.8\% accuracy, outperforming",
     'Freq Cross achieves 97.8 percent accuracy, outperforming'),
    ("2603.19274", r"achieving up to $73.4\%$ accuracy on differential diagnosis",
     'achieving up to 73.4 percent accuracy on differential diagnosis'),
    ("2507.20764", r"camera angles from 0{\deg} to 75{\deg}, and all-day",
     'camera angles from 0 degrees to 75 degrees, and all-day'),
    ("2601.19042", r"sub-degree accuracy ($<1^\circ$ from the global optimum)",
     'sub-degree accuracy, less than 1 degree from the global optimum'),
    ("2603.22572", r"3D Reconstruction from Casual 360$^\circ$ Captures",
     '3D Reconstruction from Casual 360 degrees Captures'),
    ("2604.05030", r"At $\sim$100M parameters on WikiText-103",
     'At approximately 100 million parameters on Wiki Text 103'),
    ("2603.05330", r"includes $\sim$42,000 multi-view raw images",
     'includes approximately 42,000 multi-view raw images'),
    ("2605.14087", r"introduces a $\sim$10x latency penalty (from 0.2s to 2.0s per",
     'introduces an approximately 10 times latency penalty, from 0.2 seconds to 2.0 seconds per'),
    ("2604.09535", "lack accurate human action labels, chain-of-thought (CoT), and spatial annotations",
     "lack accurate human action labels, chain-of-thought, and spatial annotations"),
    ("2603.19558", r"consumption by 10$\times$ to 100$\times$ (e.g., SC-CoT and ToT)",
     'consumption by 10 times to 100 times, for example, S C chain of thought and tree of thoughts'),
    ("2505.24434", r"and CelebA-HQ at $256\times256$), demonstrating",
     'and CelebA H Q at 256 times 256, demonstrating'),
    ("2506.23030", r"grayscale jpg images of $128 \times 512$ pixels",
     'grayscale jpg images of 128 times 512 pixels'),
    ("2605.21807", 'the best-performing baseline (GPT-5.2) correctly answers only 56%',
     'the best-performing baseline, G P T 5.2, correctly answers only 56 percent'),
    ("2603.04814", 'Long-context GPT-5-mini achieves higher factual recall',
     'Long-context G P T 5 mini achieves higher factual recall'),
    ("2606.06508", 'environment based on Geant4 11.0',
     'environment based on Geant 4 11.0'),
    ("2506.16856", 'on the CARLA 0.9.14 simulator',
     'on the Carla 0.9.14 simulator'),
    ("2605.00318", 'increases Recall@1 from 0.366 to 0.754',
     'increases Recall at 1 from 0.366 to 0.754'),
    ("2606.03273", 'achieves only 24.31% Pass@1.',
     'achieves only 24.31 percent Pass at 1.'),
    ("2603.16455", 'with nDCG@5 scores of 65.2% and 77.1%.',
     'with N D C G at 5 scores of 65.2 percent and 77.1 percent.'),
    ("2605.01839", r"is analyzed for $β\geq 1$, where it has",
     'is analyzed for beta greater than or equal to 1, where it has'),
    ("2508.04234", r"high classification accuracy ($\geq$75\%).",
     'high classification accuracy, greater than or equal to 75 percent.'),
    ("2604.19851", r"lower bound $(k\geq 3)$ and upper bound $(k \leq 5)$",
     'lower bound k greater than or equal to 3 and upper bound k less than or equal to 5'),
    ("2606.28677", r"few-step inference regimes (\eg, $\le 5$ steps)",
     'few-step inference regimes, for example, less than or equal to 5 steps'),
    ("2604.04519", r"For an $(n,k,\ell)$ MDS array code over $\mathbb{F}_q$",
     'For an n, k, ell M D S array code over F sub q'),
    ("2606.22802", r"break the capacity $\frac{1-K/N}{1-(K/N)^M}$ of the separate MDS",
     'break the capacity 1 minus K over N over 1 minus K over N to the power M of the separate M D S'),
    ("2604.11782", r"$\dot{C}_{\text{DI}}(\mathcal{G})=\frac{1}{2}$",
     'C sub D I G equals 1 over 2'),
    ("2507.16761", r"the modified $\text{B-cos}_\text{FLC}$ and",
     'the modified B cos sub F L C and'),
    ("2506.06506", r"with an average $\rho$ = 0.83 $\pm$ 0.10.",
     'with an average rho equals 0.83 plus or minus 0.10.'),
    ("2505.11314", 'a pseudo-labeled dataset (CROC$^{syn}$) of over one million',
     'a pseudo-labeled dataset, Croc syn, of over one million'),
    ("2509.11355", 'Promoting Shape Bias in CNNs: Frequency-Based and Contrastive Regularization',
     "Promoting Shape Bias in C N N's: Frequency-Based and Contrastive Regularization"),
    ("2507.18660", 'such as convolutional neural networks (CNNs) to enhance performance',
     "such as convolutional neural networks, C N N's, to enhance performance"),
    ("2603.29009", 'reaching 73.9% kNN accuracy on ImageNet-1K.',
     'reaching 73.9 percent K nearest neighbour accuracy on Image Net 1 K.'),
    ("2511.19963", 'higher resolutions such as $1536^2$ on the ImageNet-1K classification task',
     'higher resolutions such as 1536 squared on the Image Net 1 K classification task'),
    ("2509.21910", 'open-source LLMs (GPT-4o, LLaMA-3.1-8B, and LLaMA-3.1-70B)',
     "open-source L L M's, G P T 4o, Llama 3.1 8 billion, and Llama 3.1 70 billion"),
    ("2507.03722", 'iterative interactions with an LLM (ChatGPT) can facilitate',
     'iterative interactions with an L L M, Chat G P T, can facilitate'),
    ("2606.01207", 'backbones (ResNet18 and CLIP ViT-B/32), we show',
     'backbones, Res Net 18 and CLIP vit-B 32, we show'),
    ("2603.12759", '+17.2 zero-shot mIoU gain over vanilla SAM2 of different sizes on real-world 4K panorama benchmark',
     'plus 17.2 zero-shot mean I o U gain over vanilla SAM 2 of different sizes on real-world 4 K panorama benchmark'),
    ("2506.20786", 'Segment Anything Model 2 (SAM 2), MedSAM, SAM-Med-3D, and nnU-Net',
     'Segment Anything Model 2, SAM 2, Med SAM, SAM Med 3D, and N N U-Net'),
    ("2605.10523", 'e.g., dense poses or ID embeddings',
     'for example, dense poses or I D embeddings'),
    ("2604.18757", 'on average 8 years before diagnosis (range: 1-11 years).',
     'on average 8 years before diagnosis, range: 1 to 11 years.'),
    ("2604.01363", 'tasks that take humans approximately 3-4 hours with about a 50% success rate',
     'tasks that take humans approximately 3 to 4 hours with about a 50 percent success rate'),
    ("2604.08500", r"given $K$ ($\approx 5$) multi-view images of a scene",
     'given K, approximately 5, multi-view images of a scene'),
    ("2606.19782", r"McNemar $p \approx 1.1 \times 10^{-16}$), and $+4.84$ pp",
     'Mc Nemar p approximately 1.1 times 10 to the power minus 16, and plus 4.84 percentage points'),
    ("2604.27534", r"an upper bound of $H_{upper}\approx1.201$ bits per character",
     'an upper bound of H sub upper approximately 1.201 bits per character'),
    ("2602.11691", r"achieves $O(n^2 \log\log T)$ regret, where $n$ is the",
     'achieves O of n squared log log T regret, where n is the'),
    ("2509.20581", 'HRT achieves O(nlogn) complexity, offering',
     'H R T achieves O of n log n complexity, offering'),
    ("2603.14517", 'the interference horizon from O(n) to O(log n).',
     'the interference horizon from O of n to O of log n.'),
    ("2507.01524", r"with $O(n^{5/3}\log^{2/3} n)$ fitness evaluations",
     'with O of n to the power 5 over 3 log to the power 2 over 3 n fitness evaluations'),
    ("2606.24371", r"reach $88.47\pm0.10\%$ and $88.20\pm0.31\%$ on CIFAR-10",
     'reach 88.47 plus or minus 0.10 percent and 88.20 plus or minus 0.31 percent on Cifar 10'),
    ("2605.13366", r"the model achieved an R2 of 0.949 \pm 0.037, highlighting",
     'the model achieved an R2 of 0.949 plus or minus 0.037, highlighting'),
]


_REAL_IDS = [f"{arxiv_id}-{i}" for i, (arxiv_id, _, _) in enumerate(REAL_CASES)]


@pytest.mark.parametrize(("arxiv_id", "raw", "expected"), REAL_CASES, ids=_REAL_IDS)
def test_normalize_real_abstracts(arxiv_id: str, raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_real_cases_cover_the_issue() -> None:
    assert len(REAL_CASES) >= 100
    raws = " ".join(raw for _, raw, _ in REAL_CASES)
    for needle in ("$", "\\times", "\\pm", "%", "10^", "x ", "~", "\\geq", "\\leq", "https://", "[1", "et al.",
                   "\\cite", "GPT-4o", "Llama-3.1-8B", "LLM", "CNN", "ImageNet", "v1.", "1,500", "4th", "B ", "K ",
                   "ms ", "dB"):
        assert needle in raws, needle


@pytest.mark.parametrize(("arxiv_id", "raw", "expected"), REAL_CASES, ids=_REAL_IDS)
def test_real_cases_after_display_cleaning_are_plain_words(arxiv_id: str, raw: str, expected: str) -> None:
    """The write stage turns LaTeX into Unicode ("10⁻⁶", "9×", "≥"); that text must read as plain words too."""
    spoken = normalize(plain_text(raw))
    assert spoken.isascii() and not _SYMBOLS.search(spoken), spoken
    assert "http" not in spoken and "cite" not in spoken


def test_real_cases_are_quoted_from_the_corpus(shared_data: Path) -> None:
    wanted = {arxiv_id for arxiv_id, _, _ in REAL_CASES}
    texts: dict[str, str] = {}
    with gzip.open(shared_data / "corpus" / "arxiv_cs_listings.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            found = re.search(r'"id": ?"([^"]+)"', line)
            if found and found[1] in wanted:
                record = json.loads(line)
                texts[record["id"]] = " ".join(f"{record['title']} {record['abstract']}".split())
    for arxiv_id, raw, _ in REAL_CASES:
        assert raw in texts.get(arxiv_id, ""), (arxiv_id, raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("本周 10 篇 NLP 精选论文。", "本周十篇自然语言处理精选论文。"),
        ("论文 1", "论文一"),
        ("在 arXiv 上 <b>发布</b>", "在预印本平台上发布"),
        ("表情 \U0001f600 符号 $x$", "表情符号"),
        # numbers read the Chinese way
        ("准确率提升 3.5%", "准确率提升百分之三点五"),
        ("2026年", "二零二六年"),
        ("这是 2026 年第 16 周，4 月 13 日至 4 月 17 日", "这是二零二六年第十六周，四月十三日至四月十七日"),
        ("共 128 篇", "共一百二十八篇"),
        ("1.5B 参数的模型", "十五亿参数的模型"),
        ("7B 模型", "七十亿模型"),
        ("100K 条数据", "十万条数据"),
        ("10,000 篇论文", "一万篇论文"),
        ("从 1654 篇新论文中精选了 27 篇论文。", "从一千六百五十四篇新论文中精选了二十七篇论文。"),
        ("本周 2 篇", "本周两篇"),
        ("第 2 周，2 月", "第二周，二月"),
        ("误差 0.05", "误差零点零五"),
        ("1-3 分钟", "一到三分钟"),
        ("3 ~ 5 个", "三到五个"),
        ("提升 \u22488%，约 2 倍（~3 秒）", "提升约百分之八，约两倍（约三秒）"),
        ("温度 -5 度", "温度负五度"),
        ("从 30.1% 降到 8.2%", "从百分之三十点一降到百分之八点二"),
        ("5%-10%", "百分之五到百分之十"),
        ("提升 12.5 个百分点", "提升十二点五个百分点"),
        # Latin names keep their digits
        ("GPT-4 和 Qwen2.5-7B 模型", "GPT-4 和 Qwen2.5-7B 模型"),
        ("使用 GPT-4o 与 Llama-3.1-8B", "使用 GPT-4o 与 Llama-3.1-8B"),
        ("4-bit 量化与 v2.0 版本", "4-bit 量化与 v2.0 版本"),
    ],
)
def test_normalize_chinese(raw: str, expected: str) -> None:
    assert normalize(raw, "zh") == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "零"), (2, "二"), (10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (110, "一百一十"),
     (128, "一百二十八"), (1005, "一千零五"), (1010, "一千零一十"), (10000, "一万"), (10005, "一万零五"),
     (100000, "十万"), (1000000, "一百万"), (12345678, "一千二百三十四万五千六百七十八"), (100000000, "一亿"),
     (1000100000, "十亿零一十万"), (1250000000, "十二亿五千万"), (1500000000, "十五亿")],
)
def test_zh_integer(number: int, expected: str) -> None:
    assert zh_integer(number) == expected


def test_spell_reads_a_as_the_letter() -> None:
    assert spell("LLM") == "L L M"
    assert spell("RAG") == "R eh G"


_SYMBOLS = re.compile(r"[$\\{}<>^_%|~#@&*=\[\]]")


def test_sample_texts_become_plain_words() -> None:
    issue = sample_issue()
    texts = [t for title, abstract, _ in ABSTRACTS for t in (title, abstract)]
    texts += [p.writeup.line for p in issue.picks if p.writeup] + [p.paper.title for p in issue.picks]
    for text in texts:
        spoken = normalize(text)
        assert spoken.isascii(), spoken
        assert not _SYMBOLS.search(spoken), spoken
        assert "http" not in spoken
        assert re.search(r"[A-Za-z]{3}", spoken)


@pytest.mark.parametrize(
    "raw",
    ["\x00\x07control", "\ufffd\ufffd", "\U0001f9d1\u200d\U0001f52c scientist", "\u0645\u0631\u062d\u0628\u0627",
     "$\\frac{\\frac{1}{2}}{\\sqrt{\\sqrt{x}}}$", "{{{", "}}}", "$unclosed math", "\\", "<<<>>>", "%%%", "---",
     "\u2603" * 50, "a" * 5000, "[1][2][3]", "(((", "e.g.e.g.", "$" * 7],
)
def test_normalize_never_fails_and_leaves_no_symbols(raw: str) -> None:
    spoken = normalize(raw)
    assert spoken.isascii()
    assert not _SYMBOLS.search(spoken)
    normalize(raw, "zh")
